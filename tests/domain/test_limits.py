"""The limits every amount, quantity, price, rate, date and text keeps to (domain.limits)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from invoicer.domain import limits
from invoicer.domain.errors import ValidationError
from invoicer.domain.money import currency
from invoicer.domain.totals import TaxedLine, compute_totals, line_net_minor, net_total_minor
from invoicer.domain.vat.model import VatCategory

EUR, JPY = currency("EUR"), currency("JPY")


def refused(call, *args, **kwargs) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    (problem,) = caught.value.problems
    return problem.code, problem.message


@pytest.mark.parametrize(
    ("check", "largest"),
    [
        (limits.check_quantity, Decimal("999999999")),
        (limits.check_unit_price, Decimal("999999999999")),
        (limits.check_exchange_rate, Decimal("1000000")),
    ],
)
def test_each_bound_takes_its_largest_value_and_says_it_for_more(check, largest) -> None:  # type: ignore[no-untyped-def]
    assert check(largest) == largest
    assert check(-largest) == -largest
    code, message = refused(check, largest + Decimal("0.000001"))
    assert code == "too_large"
    assert f"at most {largest:,}" in message


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_what_is_not_a_number_is_refused_not_compared(value: str) -> None:
    code, message = refused(limits.check_quantity, Decimal(value), name="A line's quantity")
    assert code == "not_a_number"
    assert message.startswith("A line's quantity")


def test_minus_zero_is_zero() -> None:
    assert str(limits.check_unit_price(Decimal("-0.00"))) == "0.00"


def test_amount_limit_in_the_currency_s_own_minor_units() -> None:
    assert limits.max_amount(EUR) == Decimal("9999999999999.99")
    assert limits.max_amount(JPY) == Decimal("999999999999999")
    assert limits.check_amount(-limits.MAX_AMOUNT_MINOR, EUR, "x") == -limits.MAX_AMOUNT_MINOR
    code, message = refused(limits.check_amount, 10**15, JPY, "The invoice total")
    assert (code, message) == (
        "too_large",
        "The invoice total would be 1,000,000,000,000,000 JPY; amounts can be at most "
        "999,999,999,999,999 JPY.",
    )


def test_a_decimal_amount_is_bounded_before_it_is_rounded() -> None:
    assert limits.amount_minor(Decimal("9999999999999.99"), EUR, "A payment") == 999999999999999
    assert refused(limits.amount_minor, Decimal("1e999"), EUR, "A payment")[0] == "too_large"
    assert refused(limits.amount_minor, Decimal("NaN"), EUR, "A payment")[0] == "not_a_number"


def test_dates_from_2000_to_2100() -> None:
    assert limits.check_date(dt.date(2000, 1, 1), field="issue_date")
    assert limits.check_date(dt.date(2100, 12, 31), field="issue_date")
    code, message = refused(limits.check_date, dt.date(1, 1, 1), field="issue_date")
    assert code == "out_of_range"
    assert message == "Issue date 0001-01-01 is not between 2000-01-01 and 2100-12-31."
    assert refused(limits.check_date, dt.date(2101, 1, 1), field="due")[0] == "out_of_range"


@pytest.mark.parametrize(
    ("text", "multiline", "found"),
    [
        ("Tea", False, None),
        ("Straße 1\nHof 2\tlinks", True, None),
        ("a\nb", False, "line break"),
        ("a\tb", False, "tab"),
        ("a\x00b", True, "NUL"),
        ("a\rb", True, "carriage return"),
        ("\x1b[31m", True, "U+001B"),
        ("\x85", True, "U+0085"),
        ("a\u2028b", True, "U+2028"),
        ("a\udcffb", True, "U+DCFF"),
        ("\uffff", True, "U+FFFF"),
        ("Ελληνικό Τσάι €", False, None),
    ],
)
def test_control_characters(text: str, multiline: bool, found: str | None) -> None:
    assert limits.control_character(text, multiline=multiline) == found


def test_line_nets_and_totals_are_bounded() -> None:
    assert line_net_minor(Decimal("999999999"), Decimal("10000"), EUR) == 999999999 * 10000 * 100
    _, message = refused(line_net_minor, Decimal("1e20"), Decimal(1), EUR)
    assert message == "A line's quantity can be at most 999,999,999, not 1E+20."
    _, message = refused(line_net_minor, Decimal(1), Decimal("1e999"), EUR)
    assert message.startswith("A line's unit price can be at most 999,999,999,999")
    _, message = refused(line_net_minor, Decimal("999999999"), Decimal("999999999999"), EUR)
    assert message.startswith("A line's net amount would be 999,999,998,999,000,000,001.00 EUR")
    half = (Decimal(500), Decimal("10000000000"))
    assert net_total_minor([half], EUR) == 5 * 10**14
    _code, message = refused(net_total_minor, [half, half], EUR)
    assert message.startswith("The invoice's net total would be 10,000,000,000,000.00 EUR")


def test_the_vat_can_push_the_total_over() -> None:
    line = TaxedLine(Decimal(9000), Decimal(10**9), VatCategory.STANDARD, Decimal(21))
    _code, message = refused(compute_totals, [line], EUR)
    assert message.startswith("The invoice total would be 10,890,000,000,000.00 EUR")
