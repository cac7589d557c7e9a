"""Numbers as people type and read them: one parser and one formatter for every front-end.

Reading (`parse_amount`): the CLI, the terminal UI, the desktop app and the bank-statement CSV
reader all turn text into a Decimal here, so the same keystrokes give the same value
everywhere. A number may use either mark as its decimal mark and group thousands with the
other, with spaces or with apostrophes:

>>> parse_amount("1234.50"), parse_amount("1234,50")
(Decimal('1234.50'), Decimal('1234.50'))
>>> parse_amount("1.234,50", locale="de_DE"), parse_amount("1,234.50")
(Decimal('1234.50'), Decimal('1234.50'))
>>> parse_amount("1 234 567"), parse_amount("0,125"), parse_amount("-7")
(Decimal('1234567'), Decimal('0.125'), Decimal('-7'))

A text that could be read two ways is refused, whatever the locale: one mark followed by
exactly three digits after one to three others (`1.234`, `1,234`) is 1234 where that mark
groups thousands and 1.234 where it is the decimal mark, a factor of 1000 on an invoice. The
message says how the user's locale reads it and what to type instead (`1234` or `1.234,00`
for the thousands, a fourth decimal `1,2340` for the fraction):

>>> parse_amount("1.234", locale="de_DE")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
invoicer.domain.errors.ValidationError: amount: '1.234' is ambiguous: German notation reads ...

The locale (a Babel locale name, see `locale_for`) therefore never changes the value a text
is read as; it decides the wording of the messages, and its own grouping symbol is accepted.

Decisions about odd input, so that what is stored is what the user sees:

- An empty text (or only spaces) is refused ("empty"), never read as zero or a default.
- Full-width digits, marks and signs (U+FF01-U+FF5E and the ideographic space U+3000, what a
  Chinese or Japanese input method types) are folded to ASCII by Unicode NFKC: `１２３`
  is 123. NFKC is applied to that block only: superscripts (`²`), fractions (`½`), circled
  digits and the digits of other scripts (Arabic-Indic `١٢٣`, Devanagari) are refused, as are
  NaN, infinities and Python's `1_000`.
- Scientific notation (`1e3`, `2.5E-2`) is read with `.` as its decimal mark, as Python and
  every program writing it does; it takes no grouping. Its size is checked where it is used
  (invoicer.domain.limits: `1e999` is "at most 999,999,999"); an exponent too large for
  Decimal itself is refused here ("too_large").
- A text longer than `MAX_LENGTH` (64) characters is refused ("too_long") unread.

Writing (`format_money`, `format_price`, `format_number`): the currency's ISO 4217 exponent
(`invoicer.domain.money.currency`) and the locale's marks, always followed by the code, so
1.234 BHD and 1000 JPY are never shown as 1.23 and 1,000.00:

>>> format_money(Decimal("1.234"), "BHD"), format_money(Decimal("1000"), "JPY")
('1.234 BHD', '1,000 JPY')
>>> format_money(Decimal("1234.5"), "EUR", locale="de_DE")
'1.234,50 EUR'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

from invoicer.domain.errors import ValidationError
from invoicer.domain.money import currency, round_half_up

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "MAX_LENGTH",
    "format_editable",
    "format_money",
    "format_number",
    "format_price",
    "locale_for",
    "parse_amount",
]

# Babel locales for the product's languages (the writing conventions, not the country).
LOCALES = {"en": "en_IE", "nl": "nl_NL", "de": "de_DE", "fr": "fr_FR"}
DEFAULT_LOCALE = LOCALES["en"]
# Longer texts are refused before they are read: the largest amount with six decimals and
# its grouping marks is under 30 characters, and a message never repeats a megabyte.
MAX_LENGTH = 64

_SPACES = " \u00a0\u202f\u2009"  # space, no-break, narrow no-break (fr), thin
_APOSTROPHES = "'\u2019"  # Swiss grouping
_MINUS = "-\u2212"
_MARKS = _SPACES + _APOSTROPHES + ".,"
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+")
_TOKENS = re.compile(r"[0-9]+|.", re.DOTALL)


def locale_for(language: object) -> str:
    """The Babel locale a document or user language writes numbers in (en_IE by default)."""
    code = language.strip().lower() if isinstance(language, str) else ""
    return LOCALES.get(code, DEFAULT_LOCALE)


@functools.cache
def _symbols(locale: str) -> tuple[str, str, str]:
    """(decimal mark, group mark, language name in English) of a Babel locale."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    name = Locale.parse(locale).get_language_name("en") or locale
    return get_decimal_symbol(locale), get_group_symbol(locale), name


def _fold(text: str) -> str:
    """Full-width forms (and the ideographic space) to ASCII; everything else unchanged."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" or ch == "\u3000" else ch
        for ch in text
    )


def _problem(field: str, code: str, message: str) -> ValidationError:
    return ValidationError.single(field, code, message)


def _capital(field: str) -> str:
    return field[:1].upper() + field[1:]


def parse_amount(text: str, *, locale: str = DEFAULT_LOCALE, field: str = "amount") -> Decimal:
    """The exact Decimal a person means by `text`; a ValidationError naming `field` if it is
    empty, not a number, or could mean two different numbers (see the module's docstring)."""
    folded = _fold(text).strip()
    if not folded:
        raise _problem(field, "empty", f"{_capital(field)} is empty: type a number.")
    if len(folded) > MAX_LENGTH:
        raise _problem(
            field,
            "too_long",
            f"{_capital(field)} is {len(folded)} characters long; a number on an invoice "
            f"needs at most {MAX_LENGTH}.",
        )
    negative = folded[0] in _MINUS
    body = folded[1:] if folded[0] in _MINUS + "+" else folded
    scientific = _SCIENTIFIC.fullmatch(body)
    try:
        number = Decimal(body) if scientific else _plain(body, text, locale, field)
    except InvalidOperation:  # an exponent past what Decimal holds: 1e99999999999999999999
        raise _problem(
            field, "too_large", f"{text.strip()!r} is far too large to be a number on an invoice."
        ) from None
    return -number if negative else number


def _not_a_number(text: str, field: str, locale: str) -> ValidationError:
    decimal, group, _ = _symbols(locale)
    odd = next(
        (ch for ch in _fold(text) if unicodedata.category(ch) == "Nd" and not ch.isascii()), ""
    )
    hint = (
        f"use the digits 0-9 (not {odd!r})"
        if odd
        else f"type digits with one decimal mark, such as 1234{decimal}50"
        f" or 1{_visible(group)}234{decimal}50"
    )
    return _problem(field, "not_a_number", f"{text!r} is not a number: {hint}.")


def _visible(group: str) -> str:
    return " " if group in _SPACES else group


def _plain(body: str, text: str, locale: str, field: str) -> Decimal:
    tokens = _TOKENS.findall(body)
    if len(tokens) == 2 and tokens[0] in ".," and tokens[1].isdigit():
        return Decimal("0." + tokens[1])  # ".5", ",5"
    runs, marks = tokens[0::2], tokens[1::2]
    if (
        not tokens
        or not all(run.isascii() and run.isdigit() for run in runs)
        or len(runs) != len(marks) + 1
        or not all(mark in _MARKS or mark == _symbols(locale)[1] for mark in marks)
    ):
        raise _not_a_number(text, field, locale)
    marks = ["'" if m in _APOSTROPHES else " " if m in _SPACES else m for m in marks]
    if not marks:
        return Decimal(runs[0])
    last = marks[-1]
    if last in ".," and marks.count(last) == 1:
        whole, fraction, group_marks = runs[:-1], runs[-1], marks[:-1]
        if not group_marks and len(fraction) == 3 and len(whole[0]) <= 3 and whole[0][0] != "0":
            raise _ambiguous(text, whole[0], fraction, last, locale, field)
        if group_marks and not _grouped(whole, group_marks, last):
            raise _not_a_number(text, field, locale)
        return Decimal("".join(whole) + "." + fraction)
    if not _grouped(runs, marks, ""):
        raise _not_a_number(text, field, locale)
    return Decimal("".join(runs))


def _grouped(runs: list[str], marks: list[str], decimal: str) -> bool:
    """Thousands grouped in threes with one symbol that is not the decimal mark."""
    return (
        len(set(marks)) == 1
        and marks[0] != decimal
        and 1 <= len(runs[0]) <= 3
        and runs[0][0] != "0"
        and all(len(run) == 3 for run in runs[1:])
    )


def _ambiguous(
    text: str, head: str, tail: str, mark: str, locale: str, field: str
) -> ValidationError:
    decimal, group, language = _symbols(locale)
    thousands = Decimal(head + tail)
    fraction = Decimal(f"{head}.{tail}")
    as_fraction = f"{head}{decimal}{tail}"
    if mark == group:
        reading = (
            f"{language} notation reads it as {thousands}, but it could also mean {as_fraction}"
        )
    elif mark == decimal:
        reading = (
            f"{language} notation reads it as {as_fraction}, but it could also mean {thousands}"
        )
    else:
        reading = f"it could mean {thousands} or {as_fraction}"
    exact = fraction.normalize()
    places = -int(exact.as_tuple().exponent)
    if places == 3:  # a fourth decimal makes it unambiguous: 1.2340
        typed_fraction = f"{as_fraction}0"
    elif places > 0:  # 1.230 is 1.23
        typed_fraction = format_number(exact, locale=locale)
    else:  # 1.000 is 1
        typed_fraction = str(int(exact))
    with_decimals = format_number(thousands, locale=locale, places=2)
    return _problem(
        field,
        "ambiguous",
        f"{text!r} is ambiguous: {reading}. Type {thousands} or {with_decimals} "
        f"for {thousands}, or {typed_fraction} for {as_fraction}.",
    )


# --- writing ----------------------------------------------------------------------------


def _room(value: Decimal, places: int) -> int:
    """Digits a context needs to hold `value` with `places` decimals exactly."""
    _, digits, exponent = value.as_tuple()
    return len(digits) + max(int(exponent), 0) + places + 2


def format_number(
    value: Decimal, *, locale: str = DEFAULT_LOCALE, places: int | None = None, upto: int = 0
) -> str:
    """The locale's marks; `places` decimals (rounded half-up) or, by default, those `value`
    has; `upto` more when the value has them (a unit price: 0.1234)."""
    from babel.numbers import format_decimal

    if not value.is_finite():
        return str(value)
    own = max(0, -int(value.as_tuple().exponent))
    shown = own if places is None else places
    pattern = "#,##0" + ("." + "0" * shown + "#" * upto if shown or upto else "")
    with localcontext() as context:
        context.prec = max(context.prec, _room(value, shown + upto))
        if places is not None and own > places + upto:
            value = round_half_up(value, places + upto)
        return str(format_decimal(value, format=pattern, locale=locale))


def format_editable(value: Decimal, *, locale: str = DEFAULT_LOCALE) -> str:
    """Text for an input field that `parse_amount` reads back as exactly `value`: no grouping,
    the locale's decimal mark, and a fourth decimal where three would be ambiguous (1.2340).

    >>> format_editable(Decimal("1.234")), format_editable(Decimal("1234.5"), locale="de_DE")
    ('1.2340', '1234,5')
    """
    if not value.is_finite():
        return str(value)
    text = f"{value:f}"
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
        text += "0"
    return text.replace(".", _symbols(locale)[0]) if fraction else text


def format_money(
    amount: Decimal,
    code: str | None = None,
    *,
    locale: str = DEFAULT_LOCALE,
    with_code: bool = True,
) -> str:
    """`1,234.50 EUR`: the currency's decimals (half-up), the locale's marks, then the code
    (left out with `with_code=False`, for a column whose currency is shown apart).

    Without a currency, two decimals."""
    cur = currency(code) if code else None
    text = format_number(amount, locale=locale, places=cur.exponent if cur else 2)
    return f"{text} {cur.code}" if cur and with_code else text


def format_price(
    value: Decimal,
    code: str | None = None,
    *,
    locale: str = DEFAULT_LOCALE,
    with_code: bool = True,
) -> str:
    """A unit price: at least the currency's decimals, more (up to 6) when it has them."""
    cur = currency(code) if code else None
    exponent = cur.exponent if cur else 2
    text = format_number(value, locale=locale, places=exponent, upto=max(0, 6 - exponent))
    return f"{text} {cur.code}" if cur and with_code else text
