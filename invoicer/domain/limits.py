"""The largest values an invoice can carry, and the ranges its dates and texts must keep to.

Every amount is stored as integer minor units in a SQLite INTEGER (at most 2**63 - 1) and is
written into UBL, CII and JSON, whose readers often hold numbers as binary doubles (exact only
up to 2**53). So every amount, from one line's net to the invoice total, is kept to 15 digits
of minor units (9,999,999,999,999.99 EUR, 999,999,999,999,999 JPY); quantities and unit
prices are kept small enough that their product can always be computed exactly and checked
against that limit. Values outside these limits are refused with a message that says them;
values already stored outside them (by an older version) raise the same clear error instead
of a crash, wherever they are read.

>>> from invoicer.domain.money import currency
>>> check_amount(10**15, currency("EUR"), "The invoice total")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
invoicer.domain.errors.ValidationError: lines: The invoice total would be 10,000,000,000,000.00 ...
>>> check_quantity(Decimal("1e20"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
invoicer.domain.errors.ValidationError: quantity: Quantity can be at most 999,999,999, not ...
>>> control_character("two\\nlines", multiline=True) is None
True
>>> control_character("a\\x00b", multiline=True)
'NUL'
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from invoicer.domain.errors import ValidationError
from invoicer.domain.money import Currency, from_minor, to_minor

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_AMOUNT_MINOR",
    "MAX_EXCHANGE_RATE",
    "MAX_QUANTITY",
    "MAX_UNIT_PRICE",
    "amount_minor",
    "check_amount",
    "check_date",
    "check_exchange_rate",
    "check_quantity",
    "check_unit_price",
    "control_character",
    "max_amount",
]

MAX_AMOUNT_MINOR = 10**15 - 1
MAX_QUANTITY = Decimal(999_999_999)
MAX_UNIT_PRICE = Decimal(999_999_999_999)
MAX_EXCHANGE_RATE = Decimal(1_000_000)
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _bounded(value: Decimal, maximum: Decimal, field: str, name: str | None) -> Decimal:
    name = name or _label(field)
    if not value.is_finite():
        raise ValidationError.single(field, "not_a_number", f"{name} '{value}' is not a number.")
    if abs(value) > maximum:
        raise ValidationError.single(
            field, "too_large", f"{name} can be at most {maximum:,}, not {value:,}."
        )
    return abs(value) if value.is_zero() else value  # -0 is 0


def check_quantity(
    quantity: Decimal, *, field: str = "quantity", name: str | None = None
) -> Decimal:
    """A quantity of at most 999,999,999 units (either sign: credit notes are negative)."""
    return _bounded(quantity, MAX_QUANTITY, field, name)


def check_unit_price(
    price: Decimal, *, field: str = "unit_price", name: str | None = None
) -> Decimal:
    """A unit price of at most 999,999,999,999 (either sign)."""
    return _bounded(price, MAX_UNIT_PRICE, field, name)


def check_exchange_rate(
    rate: Decimal, *, field: str = "exchange_rate", name: str | None = None
) -> Decimal:
    """An exchange rate of at most 1,000,000 units of one currency per unit of the other."""
    return _bounded(rate, MAX_EXCHANGE_RATE, field, name)


def max_amount(cur: Currency) -> Decimal:
    """The largest amount in `cur`: 9,999,999,999,999.99 EUR."""
    return from_minor(MAX_AMOUNT_MINOR, cur)


def check_amount(minor: int, cur: Currency, what: str, *, field: str = "lines") -> int:
    """`minor` if it is within the limit; else a ValidationError naming `what` it is."""
    if abs(minor) > MAX_AMOUNT_MINOR:
        raise ValidationError.single(
            field,
            "too_large",
            f"{what} would be {from_minor(minor, cur):,} {cur.code}; amounts can be at most "
            f"{max_amount(cur):,} {cur.code}.",
        )
    return minor


def amount_minor(amount: Decimal, cur: Currency, what: str, *, field: str = "amount") -> int:
    """A decimal amount in minor units, refused (never overflowing) past the limit."""
    if not amount.is_finite():
        raise ValidationError.single(field, "not_a_number", f"{what} '{amount}' is not a number.")
    if abs(amount) > max_amount(cur):
        raise ValidationError.single(
            field,
            "too_large",
            f"{what} can be at most {max_amount(cur):,} {cur.code}, not {amount:,}.",
        )
    return to_minor(amount, cur)


def check_date(value: dt.date, *, field: str) -> dt.date:
    """A date from 2000-01-01 to 2100-12-31: anything else is a typing mistake."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError.single(
            field,
            "out_of_range",
            f"{_label(field)} {value.isoformat()} is not between {FIRST_DATE.isoformat()} "
            f"and {LAST_DATE.isoformat()}.",
        )
    return value


_ALLOWED_MULTILINE = frozenset("\t\n")
_NAMES = {"\x00": "NUL", "\t": "tab", "\n": "line break", "\r": "carriage return"}


def control_character(value: str, *, multiline: bool) -> str | None:
    """The name of the first control character in `value`, or None if it has none.

    Control characters (NUL, escape, the C1 range, line and paragraph separators, lone
    surrogates from undecodable bytes ...) cannot be written into XML e-invoices; a
    multi-line field allows tab and line breaks, a single-line one none of them.
    """
    allowed = _ALLOWED_MULTILINE if multiline else frozenset()
    for char in value:
        if char in allowed:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in "\ufffe\uffff":
            return _NAMES.get(char, f"U+{ord(char):04X}")
    return None
