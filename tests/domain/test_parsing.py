"""The one parser of each kind of input (issue 18): amounts, quantities, dates, payment methods.

Table-driven: what is typed, in which locale, and what is stored or why it is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from invoicer.domain.amounts import LOCALES, MAX_LENGTH
from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import (
    PAYMENT_METHOD_CODES,
    chosen_quantities,
    parse_amount,
    parse_date,
    parse_payment_method,
    parse_quantity,
)

ALL_LOCALES = sorted(LOCALES.values())  # en_IE, nl_NL, de_DE, fr_FR


def refusal(call: object, *args: object, **kw: object) -> tuple[str, str, str]:
    """(field, code, message) of the one problem `call(*args, **kw)` is refused with."""
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args, **kw)
    (problem,) = caught.value.problems
    return problem.field, problem.code, problem.message


# --- amounts ----------------------------------------------------------------------------

# (typed, read as): the same in every locale; the locale only words the messages.
AMOUNTS = [
    ("1.234,50", "1234.50"),
    ("1,234.50", "1234.50"),
    ("1234.50", "1234.50"),
    ("1234,50", "1234.50"),
    ("1 234,50", "1234.50"),
    ("1\u202f234,50", "1234.50"),  # French narrow no-break space
    ("1'234.50", "1234.50"),
    ("-7", "-7"),
    ("0,125", "0.125"),
    ("1e999", "1E+999"),  # its size is for the limits to refuse, in their words
    ("  12  ", "12"),
]


@pytest.mark.parametrize("locale", ALL_LOCALES)
@pytest.mark.parametrize(("typed", "stored"), AMOUNTS)
def test_amounts_read_the_same_in_every_locale(typed: str, stored: str, locale: str) -> None:
    assert parse_amount(typed, locale=locale) == Decimal(stored)


# (typed, code): refused in every locale.
REFUSED_AMOUNTS = [
    ("1,234", "ambiguous"),  # 1234 where comma groups, 1.234 where it is the decimal mark
    ("1.234", "ambiguous"),
    ("", "empty"),
    ("  ", "empty"),
    ("\x00", "not_a_number"),
    ("12\x00", "not_a_number"),
    ("NaN", "not_a_number"),
    ("Infinity", "not_a_number"),
    ("1_000", "not_a_number"),
    ("1.234.5", "not_a_number"),
    ("9" * (MAX_LENGTH + 1), "too_long"),
    ("1e99999999999999999999", "too_large"),  # past what Decimal can hold
]


@pytest.mark.parametrize("locale", ALL_LOCALES)
@pytest.mark.parametrize(("typed", "code"), REFUSED_AMOUNTS)
def test_amounts_refused_in_every_locale(typed: str, code: str, locale: str) -> None:
    field, found, message = refusal(parse_amount, typed, locale=locale, field="amount")
    assert (field, found) == ("amount", code)
    assert len(message) < 300  # a megabyte typed is never repeated back


def test_the_ambiguity_message_says_how_the_locale_reads_it() -> None:
    assert (
        "German notation reads it as 1,234, but it could also mean 1234"
        in refusal(parse_amount, "1,234", locale="de_DE")[2]
    )
    assert (
        "Dutch notation reads it as 1,234, but it could also mean 1234"
        in refusal(parse_amount, "1,234", locale="nl_NL")[2]
    )
    assert (
        "French notation reads it as 1,234, but it could also mean 1234"
        in refusal(parse_amount, "1,234", locale="fr_FR")[2]
    )
    assert (
        "English notation reads it as 1234, but it could also mean 1.234"
        in refusal(parse_amount, "1,234", locale="en_IE")[2]
    )


# --- quantities -------------------------------------------------------------------------

QUANTITIES = [
    ("2", {}, "2"),
    ("1.234,5", {}, "1234.5"),
    ("0,5", {}, "0.5"),
    ("1.2340", {}, "1.234"),  # the fourth decimal that makes three unambiguous
    ("999999999", {}, "999999999"),
    ("0", {"allow_zero": True}, "0"),
    ("-3", {"allow_negative": True}, "-3"),
    (Decimal("2.5"), {}, "2.5"),
    (7, {}, "7"),
]


@pytest.mark.parametrize("locale", ALL_LOCALES)
@pytest.mark.parametrize(("typed", "options", "stored"), QUANTITIES)
def test_quantities(typed: object, options: dict[str, Any], stored: str, locale: str) -> None:
    assert parse_quantity(typed, locale=locale, **options) == Decimal(stored)


REFUSED_QUANTITIES = [
    ("-1", "negative"),
    ("0", "zero"),
    ("1000000000", "too_large"),
    ("1e999", "too_large"),
    ("0.0000001", "too_precise"),  # seven decimals
    ("", "empty"),
    ("  ", "empty"),
    ("\x00", "not_a_number"),
    ("9" * 200, "too_long"),
    (1.5, "float"),  # binary floating point never becomes a quantity
    (True, "float"),
    (None, "not_a_number"),
]


@pytest.mark.parametrize(("typed", "code"), REFUSED_QUANTITIES)
def test_quantities_refused(typed: object, code: str) -> None:
    field, found, message = refusal(parse_quantity, typed, field="quantity")
    assert (field, found) == ("quantity", code)
    assert len(message) < 300


def test_a_quantitys_messages_can_name_it_apart_from_its_key() -> None:
    field, _, message = refusal(parse_quantity, "-1", field="lines.abc", name="Quantity")
    assert (field, message) == ("lines.abc", "Quantity must not be negative.")


# --- credited quantities (the GUI's and the TUI's credit dialogs) -----------------------


def test_chosen_quantities_leave_out_blank_and_zero_lines() -> None:
    typed = {"a": ("Widget", "2"), "b": ("Bolt", ""), "c": ("Nut", "0"), "d": ("Cog", "0,5")}
    assert chosen_quantities(typed, locale="de_DE") == {"a": Decimal(2), "d": Decimal("0.5")}


def test_chosen_quantities_name_every_refused_line() -> None:
    with pytest.raises(ValidationError) as caught:
        chosen_quantities({"a": ("Widget", "-1"), "b": ("Bolt", "1,234"), "c": ("Nut", "1")})
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("lines", "negative"),
        ("lines", "ambiguous"),
    ]
    assert caught.value.problems[0].message.startswith("Widget: ")
    assert caught.value.problems[1].message.startswith("Bolt: ")


def test_choosing_nothing_is_refused() -> None:
    assert refusal(chosen_quantities, {"a": ("Widget", " "), "b": ("Bolt", "0")})[1] == (
        "nothing_chosen"
    )


# --- dates ------------------------------------------------------------------------------

DATES = [
    ("2026-03-01", dt.date(2026, 3, 1)),
    ("20260301", dt.date(2026, 3, 1)),
    ("  2026-03-01\n", dt.date(2026, 3, 1)),
    ("\uff12\uff10\uff12\uff16-\uff10\uff13-\uff10\uff11", dt.date(2026, 3, 1)),  # full width
    ("2028-02-29", dt.date(2028, 2, 29)),  # a leap day
    ("2000-01-01", dt.date(2000, 1, 1)),
    ("2100-12-31", dt.date(2100, 12, 31)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
    (dt.datetime(2026, 3, 1, 23, 59), dt.date(2026, 3, 1)),
]


@pytest.mark.parametrize(("typed", "day"), DATES)
def test_dates(typed: object, day: dt.date) -> None:
    assert parse_date(typed) == day


REFUSED_DATES = [
    ("2026-02-31", "invalid_date", "February 2026 has 28 days"),
    ("2027-02-29", "invalid_date", "February 2027 has 28 days"),
    ("2026-12-32", "invalid_date", "December 2026 has 31 days"),
    ("2026-13-01", "invalid_date", "there is no month 13"),
    ("0001-01-01", "out_of_range", "not between 2000-01-01 and 2100-12-31"),
    ("1999-12-31", "out_of_range", "not between"),
    ("2101-01-01", "out_of_range", "not between"),
    ("01-03-2026", "invalid_date", "YYYY-MM-DD"),  # day first: guessed nowhere
    ("03/04/2026", "invalid_date", "YYYY-MM-DD"),
    ("2026-W09-7", "invalid_date", "YYYY-MM-DD"),  # ISO week dates Python would accept
    ("2026-03-01T10:00", "invalid_date", "YYYY-MM-DD"),
    ("yesterday", "invalid_date", "not 'yesterday'"),
    ("\x00", "invalid_date", "YYYY-MM-DD"),
    ("2026-03-01\x00", "invalid_date", "YYYY-MM-DD"),
    ("", "empty", "is empty"),
    ("   ", "empty", "is empty"),
    ("9" * 10_000, "invalid_date", "…"),  # repeated back shortened
    (20260301, "invalid_date", "such as 2026-03-01"),
    (None, "invalid_date", "such as 2026-03-01"),
]


@pytest.mark.parametrize(("typed", "code", "words"), REFUSED_DATES)
def test_dates_refused(typed: object, code: str, words: str) -> None:
    field, found, message = refusal(parse_date, typed, field="issue_date")
    assert (field, found) == ("issue_date", code)
    assert words in message
    assert len(message) < 200


def test_an_unbounded_date_may_be_any_real_day() -> None:
    assert parse_date("0001-01-01", bounded=False) == dt.date(1, 1, 1)
    assert parse_date("1999-12-31", bounded=False) == dt.date(1999, 12, 31)
    assert refusal(parse_date, "0000-01-01", bounded=False)[1] == "invalid_date"


# --- payment methods --------------------------------------------------------------------

METHODS = [
    ("bank_transfer", "bank_transfer"),
    ("Bank transfer", "bank_transfer"),
    ("BANK-TRANSFER", "bank_transfer"),
    ("  bank  transfer ", "bank_transfer"),
    ("card", "card"),
    ("Crypto", "crypto"),
    ("CASH", "cash"),
    ("other", "other"),
]


@pytest.mark.parametrize(("typed", "code"), METHODS)
def test_payment_methods(typed: str, code: str) -> None:
    assert parse_payment_method(typed) == code


@pytest.mark.parametrize("typed", ["barter", "", "  ", "\x00", "bank", "cardx", None, 1])
def test_payment_methods_refused(typed: object) -> None:
    field, code, message = refusal(parse_payment_method, typed)
    assert (field, code) == ("method", "unknown_value")
    assert ", ".join(PAYMENT_METHOD_CODES) in message
