"""Money: exact decimals and integer minor units, never floats.

Amounts are stored as integer minor units whose size the currency's ISO 4217 exponent
decides (EUR 2, JPY 0, BHD 3). Rounding is half-up, symmetric for negatives (−0.125 becomes
−0.13), so a credit note is the exact mirror of its invoice.

>>> eur = currency("eur")
>>> eur.exponent
2
>>> round_half_up(Decimal("0.125"), 2), round_half_up(Decimal("-0.125"), 2)
(Decimal('0.13'), Decimal('-0.13'))
>>> Money.of(Decimal("12.345"), eur)
Money(minor=1235, currency=Currency(code='EUR', exponent=2))
>>> str(Money(1235, eur))
'12.35 EUR'
>>> to_minor(Decimal("1000"), currency("JPY"))
1000
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from invoicer.domain.errors import ValidationError

__all__ = [
    "Currency",
    "Money",
    "currency",
    "from_minor",
    "parse_decimal",
    "round_half_up",
    "to_minor",
]


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and its exponent (number of minor-unit digits)."""

    code: str
    exponent: int

    @property
    def quantum(self) -> Decimal:
        """The smallest unit as a Decimal exponent: Decimal('0.01') for EUR."""
        return _quantum(self.exponent)


@cache
def _quantum(exponent: int) -> Decimal:
    return Decimal(1).scaleb(-exponent)


# Withdrawn from the current ISO 4217 list when their countries joined the euro, but still
# the national currency of VAT returns for supplies dated before the change.
_WITHDRAWN_EXPONENTS = {"BGN": 2, "HRK": 2}


@cache
def _iso4217_exponent(code: str) -> int | None:
    # iso4217 bundles the official ISO 4217 list; imported here so the CLI starts fast.
    from iso4217 import Currency as IsoCurrency

    try:
        iso = IsoCurrency(code)
    except ValueError:
        return _WITHDRAWN_EXPONENTS.get(code)
    exponent = iso.exponent
    # Funds and precious metals (XAU, XDR, ...) have no minor unit: not invoice currencies.
    return exponent if isinstance(exponent, int) else None


def currency(code: str, *, field: str = "currency") -> Currency:
    """The ISO 4217 currency `code` (case-insensitive); a clear error if there is none."""
    normalised = code.strip().upper() if isinstance(code, str) else ""
    exponent = _iso4217_exponent(normalised) if len(normalised) == 3 else None
    if exponent is None:
        raise ValidationError.single(
            field, "unknown_currency", f"'{code}' is not an ISO 4217 currency code."
        )
    return Currency(normalised, exponent)


def round_half_up(value: Decimal, exponent: int) -> Decimal:
    """Round to `exponent` decimals, halves away from zero (symmetric for negatives)."""
    return value.quantize(_quantum(exponent), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, cur: Currency) -> int:
    """Exact decimal amount -> integer minor units, rounding half-up."""
    return int(round_half_up(amount, cur.exponent).scaleb(cur.exponent))


def from_minor(minor: int, cur: Currency) -> Decimal:
    """Integer minor units -> Decimal with exactly the currency's number of decimals."""
    return Decimal(minor).scaleb(-cur.exponent).quantize(cur.quantum)


def parse_decimal(
    value: object,
    *,
    field: str,
    allow_negative: bool = True,
    allow_zero: bool = True,
    max_places: int | None = None,
    locale: str | None = None,
) -> Decimal:
    """A Decimal from user input (str, int or Decimal), never from a float.

    Text is read by `invoicer.domain.amounts.parse_amount` (the one parser of every
    front-end; `locale` words its messages); zeros beyond `max_places` are dropped (1.2340
    is 1.234, the way to type that amount unambiguously).

    >>> parse_decimal("1.50", field="quantity")
    Decimal('1.50')
    >>> parse_decimal("1.2340", field="amount", max_places=3)
    Decimal('1.234')
    >>> parse_decimal(1.5, field="quantity")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    invoicer.domain.errors.ValidationError: quantity: Give quantity as a decimal string ...
    """
    if isinstance(value, (bool, float)):
        raise ValidationError.single(
            field,
            "float",
            f'Give {field} as a decimal string such as "1.50", not a binary floating-point number.',
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        from invoicer.domain.amounts import DEFAULT_LOCALE, parse_amount

        number = parse_amount(value, locale=locale or DEFAULT_LOCALE, field=field)
    else:
        raise ValidationError.single(field, "not_a_number", f"{field} must be a number.")
    if not number.is_finite():
        raise ValidationError.single(field, "not_a_number", f"'{value}' is not a number.")
    if not allow_negative and number < 0:
        raise ValidationError.single(field, "negative", f"{field} must not be negative.")
    if not allow_zero and number == 0:
        raise ValidationError.single(field, "zero", f"{field} must not be zero.")
    if max_places is not None:
        number = _drop_zeros(number, max_places)
        if -int(number.as_tuple().exponent) > max_places:
            raise ValidationError.single(
                field, "too_precise", f"{field} has more than {max_places} decimal places."
            )
    return number


def _drop_zeros(number: Decimal, places: int) -> Decimal:
    """`number` with at most `places` decimals if only zeros go (exact: no context rounding)."""
    sign, digits, exponent = number.as_tuple()
    extra = -int(exponent) - places
    if extra <= 0 or any(digits[-extra:]):
        return number
    return Decimal((sign, digits[:-extra] or (0,), int(exponent) + extra))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of one currency. Immutable; arithmetic stays exact."""

    minor: int
    currency: Currency

    @classmethod
    def of(cls, amount: Decimal | str | int, cur: Currency) -> Money:
        return cls(to_minor(parse_decimal(amount, field="amount"), cur), cur)

    @classmethod
    def zero(cls, cur: Currency) -> Money:
        return cls(0, cur)

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency.code} and {other.currency.code}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency.code}"
