"""One parser each for what people type: amounts, quantities, dates and payment methods.

The CLI, the terminal UI, the desktop app and the services read input only through these, so
the same keystrokes give the same value everywhere, or are refused in the same words.

Amounts: `parse_amount` (invoicer.domain.amounts, re-exported here) reads `1.234,50`,
`1,234.50` and `1234.50` alike, and refuses what could be read two ways (`1,234`, `1.234`)
in every locale; the locale only words the message.

Quantities: an amount that is positive (zero and negative values only where asked for),
has at most 6 decimals and at most 999,999,999 units:

>>> parse_quantity("1.234,5"), parse_quantity("2")
(Decimal('1234.5'), Decimal('2'))

Dates: ISO 8601 calendar dates only, `2026-03-01` or `20260301`, between 2000-01-01 and
2100-12-31. Day-first forms (`01-03-2026`) are refused rather than guessed: `03/04/2026` is
4 March in Dublin and 3 April in Boston, and a wrong date on an invoice is a legal problem.

>>> parse_date("2026-03-01"), parse_date(" 20260301 ")
(datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))

Payment methods: the codes of `PAYMENT_METHODS`, or their labels, in any case, with spaces
or hyphens for the underscore:

>>> parse_payment_method("Bank transfer"), parse_payment_method("CARD")
('bank_transfer', 'card')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from invoicer.domain import limits
from invoicer.domain.amounts import DEFAULT_LOCALE, parse_amount
from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.money import parse_decimal

__all__ = [
    "PAYMENT_METHODS",
    "PAYMENT_METHOD_CODES",
    "QUANTITY_PLACES",
    "chosen_quantities",
    "parse_amount",
    "parse_date",
    "parse_payment_method",
    "parse_quantity",
]

QUANTITY_PLACES = 6

# (code stored, label shown), in the order every front-end offers them.
PAYMENT_METHODS: tuple[tuple[str, str], ...] = (
    ("bank_transfer", "Bank transfer"),
    ("card", "Card"),
    ("crypto", "Crypto"),
    ("cash", "Cash"),
    ("other", "Other"),
)
PAYMENT_METHOD_CODES = tuple(code for code, _ in PAYMENT_METHODS)

_ISO_DATE = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})")
_SHOWN = 40  # characters of a refused text repeated in its message


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _rekeyed(exc: ValidationError, field: str) -> ValidationError:
    """The same problems under the key `field` (parse_decimal names them by their label)."""
    return ValidationError(Problem(field, p.code, p.message) for p in exc.problems)


def parse_quantity(
    value: object,
    *,
    locale: str = DEFAULT_LOCALE,
    field: str = "quantity",
    allow_zero: bool = False,
    allow_negative: bool = False,
    name: str | None = None,
) -> Decimal:
    """The quantity a person means by `value` (text, int or Decimal, never a float); `name`
    words the messages (default: the field's label), the problems are keyed by `field`.

    >>> parse_quantity("0", allow_zero=True)
    Decimal('0')
    >>> parse_quantity("-1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    invoicer.domain.errors.ValidationError: quantity: Quantity must not be negative.
    """
    name = name or _label(field)
    try:
        number = parse_decimal(
            value,
            field=name,
            allow_negative=allow_negative,
            allow_zero=allow_zero,
            max_places=QUANTITY_PLACES,
            locale=locale,
        )
    except ValidationError as exc:
        raise _rekeyed(exc, field) from None
    return limits.check_quantity(number, field=field, name=name)


def parse_date(value: object, *, field: str = "date", bounded: bool = True) -> dt.date:
    """The calendar day `value` names: a date, a datetime (its day) or ISO text.

    `bounded` (the default) also refuses days outside 2000-01-01..2100-12-31, which are
    typing mistakes on an invoice (limits.check_date).

    >>> parse_date("2026-02-31")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    invoicer.domain.errors.ValidationError: date: 2026-02-31 is not a day of the calendar: ...
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _date_text(value, field)
    else:
        raise ValidationError.single(
            field, "invalid_date", f"{_label(field)} must be a date such as 2026-03-01."
        )
    return limits.check_date(day, field=field) if bounded else day


def _date_text(text: str, field: str) -> dt.date:
    # Full-width digits and hyphen (an IME) are ASCII ones; nothing else is folded.
    folded = "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch for ch in text
    ).strip()
    if not folded:
        raise ValidationError.single(
            field, "empty", f"{_label(field)} is empty: type a date such as 2026-03-01."
        )
    match = _ISO_DATE.fullmatch(folded)
    if match is None:
        raise ValidationError.single(
            field,
            "invalid_date",
            f"{_label(field)} must be a date written YYYY-MM-DD, such as 2026-03-01, "
            f"not {_shown(text)}.",
        )
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        written = f"{year:04d}-{month:02d}-{day:02d}"
        if year == 0:
            why = "there is no year 0"
        elif not 1 <= month <= 12:
            why = f"there is no month {month}"
        else:
            last = calendar.monthrange(year, month)[1]
            why = f"{calendar.month_name[month]} {year} has {last} days"
        raise ValidationError.single(
            field, "invalid_date", f"{written} is not a day of the calendar: {why}."
        ) from None


def parse_payment_method(value: object, *, field: str = "method") -> str:
    """The code of the payment method `value` names (its code or its label).

    >>> parse_payment_method("barter")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    invoicer.domain.errors.ValidationError: method: Method must be one of bank_transfer, ...
    """
    if isinstance(value, str):
        wanted = re.sub(r"[\s\-]+", "_", value.strip().lower())
        for code, label in PAYMENT_METHODS:
            if wanted in (code, label.lower().replace(" ", "_")):
                return code
    given = f", not {_shown(value)}" if isinstance(value, str) else ""
    raise ValidationError.single(
        field,
        "unknown_value",
        f"{_label(field)} must be one of {', '.join(PAYMENT_METHOD_CODES)}{given}.",
    )


def chosen_quantities(
    typed: Mapping[str, tuple[str, str]], *, locale: str = DEFAULT_LOCALE
) -> dict[str, Decimal]:
    """The quantities to credit per line from what was typed beside each line.

    `typed` maps a line id to (the line's description, the text typed); blank or zero
    leaves the line out. Every problem is reported under "lines", naming the line.

    >>> chosen_quantities({"a": ("Widget", "2"), "b": ("Bolt", "")})
    {'a': Decimal('2')}
    """
    chosen: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for line_id, (description, text) in typed.items():
        try:
            quantity = parse_quantity(text.strip() or "0", locale=locale, allow_zero=True)
        except ValidationError as exc:
            problems.extend(
                Problem("lines", p.code, f"{description}: {p.message}") for p in exc.problems
            )
            continue
        if quantity:
            chosen[line_id] = quantity
    if problems:
        raise ValidationError(problems)
    if not chosen:
        raise ValidationError.single(
            "lines", "nothing_chosen", "Enter a quantity for at least one line."
        )
    return chosen
