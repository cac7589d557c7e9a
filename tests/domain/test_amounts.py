"""The one amount parser and money formatter of every front-end (invoicer/domain/amounts.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicer.domain.amounts import (
    format_editable,
    format_money,
    format_number,
    format_price,
    locale_for,
    parse_amount,
)
from invoicer.domain.errors import ValidationError
from invoicer.domain.money import parse_decimal

LOCALES = ["en_IE", "de_DE", "nl_NL", "fr_FR"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234.50", "1234.50"),
        ("1\u202f234,50", "1234.50"),  # French grouping (narrow no-break space)
        ("1'234.50", "1234.50"),
        ("1\u2019234,50", "1234.50"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1 234", "1234"),
        ("1.234.567,891", "1234567.891"),
        ("12,5", "12.5"),
        ("0,125", "0.125"),  # a leading zero never starts a thousands group
        ("1234.567", "1234.567"),  # four digits before: not a group
        ("1,2340", "1.2340"),
        (".5", "0.5"),
        (",5", "0.5"),
        ("  42 ", "42"),
        ("+3", "3"),
        ("-1.234,5", "-1234.5"),
        ("\u22127", "-7"),  # the minus sign some locales write
        ("1e3", "1E+3"),
        ("2.5E-2", "0.025"),
        ("-.5e1", "-5"),
        ("\uff11\uff12\uff13", "123"),  # full-width digits: folded (NFKC)
        ("\uff11\uff0c\uff15", "1.5"),
        ("\uff0d\uff12", "-2"),
        ("1\u3000234", "1234"),  # ideographic space
    ],
)
def test_unambiguous_text_reads_the_same_in_every_locale(
    text: str, value: str, locale: str
) -> None:
    assert parse_amount(text, locale=locale) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "locale", "reads"),
    [
        ("1.234", "de_DE", "German notation reads it as 1234, but it could also mean 1,234"),
        ("1.234", "en_IE", "English notation reads it as 1.234, but it could also mean 1234"),
        ("1,234", "en_IE", "English notation reads it as 1234, but it could also mean 1.234"),
        ("1,234", "fr_FR", "French notation reads it as 1,234, but it could also mean 1234"),
        ("1.234", "fr_FR", "it could mean 1234 or 1,234"),  # French writes neither this way
        ("-12,500", "nl_NL", "Dutch notation reads it as 12,500"),
    ],
)
def test_ambiguous_text_is_refused_with_how_the_locale_reads_it(
    text: str, locale: str, reads: str
) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text, locale=locale, field="unit price")
    (problem,) = info.value.problems
    assert (problem.field, problem.code) == ("unit price", "ambiguous")
    assert problem.message.startswith(f"{text!r} is ambiguous: {reads}")


@pytest.mark.parametrize(
    ("text", "locale", "advice"),
    [
        ("1.234", "de_DE", "Type 1234 or 1.234,00 for 1234, or 1,2340 for 1,234."),
        ("1,234", "en_IE", "Type 1234 or 1,234.00 for 1234, or 1.2340 for 1.234."),
        ("1.230", "en_IE", "or 1.23 for 1.230."),
        ("1.000", "de_DE", "or 1 for 1,000."),
    ],
)
def test_the_refusal_says_what_to_type_and_that_reads_back(
    text: str, locale: str, advice: str
) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text, locale=locale)
    message = info.value.problems[0].message
    assert message.endswith(advice)
    # Every suggestion is itself unambiguous.
    found = re.search(r"Type (\S+) or (\S+) for (\S+), or (\S+) for \S+\.$", message)
    assert found is not None
    thousands, grouped, value, fraction = found.groups()
    assert parse_amount(thousands, locale=locale) == Decimal(value)
    assert parse_amount(grouped, locale=locale) == Decimal(value)
    assert parse_amount(fraction, locale=locale) == Decimal(text.replace(",", "."))


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("", "empty", "Amount is empty"),
        ("   ", "empty", "Amount is empty"),
        ("abc", "not_a_number", "'abc' is not a number: type digits"),
        ("1_000", "not_a_number", "not a number"),
        ("NaN", "not_a_number", "not a number"),
        ("Infinity", "not_a_number", "not a number"),
        ("-", "not_a_number", "not a number"),
        ("1..5", "not_a_number", "not a number"),
        ("1.", "not_a_number", "not a number"),
        ("12.34,5", "not_a_number", "not a number"),  # groups of two
        ("1.234.56", "not_a_number", "not a number"),
        ("1,234,5678", "not_a_number", "not a number"),
        ("0.234.567", "not_a_number", "not a number"),
        ("1.234 567", "not_a_number", "not a number"),  # two grouping symbols
        ("1 234.567 8", "not_a_number", "not a number"),
        ("1,234,567.8.9", "not_a_number", "not a number"),
        ("1e", "not_a_number", "not a number"),
        ("1,5e3", "not_a_number", "not a number"),
        ("- 5", "not_a_number", "not a number"),
        ("+-5", "not_a_number", "not a number"),
        ("\u0661\u0662\u0663", "not_a_number", "use the digits 0-9 (not '\u0661')"),
        ("\u0967\u0968", "not_a_number", "use the digits 0-9"),
        ("1\u00b2", "not_a_number", "not a number"),  # superscript two: not folded to 12
        ("\u00bd", "not_a_number", "not a number"),
        ("\u2460", "not_a_number", "not a number"),  # circled one
    ],
)
def test_what_is_not_a_number_is_refused(text: str, code: str, says: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text)
    (problem,) = info.value.problems
    assert (problem.field, problem.code) == ("amount", code)
    assert says in problem.message


def test_the_locales_own_grouping_symbol_is_accepted() -> None:
    # de_CH groups with a right single quotation mark; accepted like any apostrophe.
    assert parse_amount("1\u2019234.50", locale="de_CH") == Decimal("1234.50")


def test_language_to_locale() -> None:
    assert [locale_for(x) for x in ("de", "NL ", "fr", "en", None, "xx", 7)] == [
        "de_DE",
        "nl_NL",
        "fr_FR",
        "en_IE",
        "en_IE",
        "en_IE",
        "en_IE",
    ]


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False),
    st.sampled_from(LOCALES),
)
def test_what_the_formatter_writes_the_parser_reads_back(value: Decimal, locale: str) -> None:
    text = format_money(value, "EUR", locale=locale).removesuffix(" EUR")
    assert parse_amount(text, locale=locale) == value


def test_parse_decimal_reads_text_with_the_same_parser() -> None:
    assert parse_decimal("1.234,50", field="unit price", locale="de_DE") == Decimal("1234.50")
    with pytest.raises(ValidationError) as info:
        parse_decimal("1.234", field="unit price", locale="de_DE")
    assert info.value.problems[0].code == "ambiguous"
    assert "German" in info.value.problems[0].message
    # The unambiguous spelling of 1.234 BHD fits three places: the zero goes.
    assert str(parse_decimal("1.2340", field="amount", max_places=3)) == "1.234"
    assert str(parse_decimal("0.0000000", field="q", max_places=6)) == "0.000000"
    assert str(parse_decimal("5", field="q", max_places=0)) == "5"


@pytest.mark.parametrize(
    ("amount", "code", "locale", "text"),
    [
        ("1.234", "BHD", "en_IE", "1.234 BHD"),
        ("1000", "JPY", "en_IE", "1,000 JPY"),
        ("1234.5", "EUR", "en_IE", "1,234.50 EUR"),
        ("1234.5", "EUR", "de_DE", "1.234,50 EUR"),
        ("1234.5", "eur", "fr_FR", "1\u202f234,50 EUR"),
        ("-0.125", "EUR", "en_IE", "-0.13 EUR"),  # half-up, symmetric
        ("0.125", "EUR", "en_IE", "0.13 EUR"),  # never banker's rounding
        ("2.5", "JPY", "en_IE", "3 JPY"),
        ("1E+30", "EUR", "en_IE", "1,000,000,000,000,000,000,000,000,000,000.00 EUR"),
        ("12", None, "en_IE", "12.00"),
    ],
)
def test_money_has_the_currencys_decimals_and_the_locales_marks(
    amount: str, code: str | None, locale: str, text: str
) -> None:
    assert format_money(Decimal(amount), code, locale=locale) == text


@pytest.mark.parametrize(
    ("price", "code", "text"),
    [
        ("1.2", "EUR", "1.20 EUR"),
        ("1.2345", "EUR", "1.2345 EUR"),
        ("0.12345678", "EUR", "0.123457 EUR"),
        ("1.234500", "EUR", "1.2345 EUR"),
        ("1.5", "BHD", "1.500 BHD"),
        ("1000", "JPY", "1,000 JPY"),
        ("0.5", "JPY", "0.5 JPY"),
        ("3", None, "3.00"),
    ],
)
def test_a_unit_price_keeps_its_own_decimals(price: str, code: str | None, text: str) -> None:
    assert format_price(Decimal(price), code) == text


def test_the_code_can_be_left_out_for_a_column() -> None:
    assert format_money(Decimal("1000"), "JPY", with_code=False) == "1,000"
    assert format_price(Decimal("1.5"), "BHD", with_code=False, locale="de_DE") == "1,500"


def test_format_number_keeps_the_decimals_it_has() -> None:
    assert format_number(Decimal("1234.5"), locale="de_DE") == "1.234,5"
    assert format_number(Decimal("7")) == "7"
    assert format_number(Decimal("NaN")) == "NaN"
    assert format_number(Decimal("1E+999"), places=0).count(",") == 333


@given(
    st.one_of(*(st.decimals(min_value=-(10**12), max_value=10**12, places=p) for p in range(7))),
    st.sampled_from(LOCALES),
)
def test_what_a_form_is_filled_with_reads_back_exactly(value: Decimal, locale: str) -> None:
    text = format_editable(value, locale=locale)
    assert parse_amount(text, locale=locale) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [("1.234", "1.2340"), ("0.125", "0.125"), ("1234.567", "1234.567"), ("-12.500", "-12.5000"),
     ("7", "7"), ("1E+3", "1000"), ("0.5", "0.5"), ("NaN", "NaN")],
)  # fmt: skip
def test_form_text_is_plain_and_never_ambiguous(value: str, text: str) -> None:
    assert format_editable(Decimal(value)) == text
