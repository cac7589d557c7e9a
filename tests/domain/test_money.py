from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicer.domain.errors import ValidationError
from invoicer.domain.money import (
    Currency,
    Money,
    currency,
    from_minor,
    parse_decimal,
    round_half_up,
    to_minor,
)


@pytest.mark.parametrize(
    ("code", "exponent"), [("EUR", 2), ("jpy", 0), ("BHD", 3), ("HUF", 2), (" usd ", 2)]
)
def test_iso4217_exponents(code: str, exponent: int) -> None:
    cur = currency(code)
    assert cur.exponent == exponent
    assert cur.code == code.strip().upper()


@pytest.mark.parametrize("code", ["EURO", "XXQ", "", "XAU", "12"])
def test_unknown_currency_is_a_clear_error(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        currency(code, field="buyer.currency")
    (problem,) = info.value.problems
    assert problem.field == "buyer.currency"
    assert problem.code == "unknown_currency"


@pytest.mark.parametrize(
    ("value", "exponent", "expected"),
    [
        ("0.125", 2, "0.13"),
        ("-0.125", 2, "-0.13"),
        ("0.124", 2, "0.12"),
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("1.0005", 3, "1.001"),
    ],
)
def test_round_half_up_is_symmetric(value: str, exponent: int, expected: str) -> None:
    assert round_half_up(Decimal(value), exponent) == Decimal(expected)


def test_minor_units_round_trip() -> None:
    eur, jpy, bhd = currency("EUR"), currency("JPY"), currency("BHD")
    assert to_minor(Decimal("12.345"), eur) == 1235
    assert to_minor(Decimal("-12.345"), eur) == -1235
    assert to_minor(Decimal("1000.4"), jpy) == 1000
    assert from_minor(1235, eur) == Decimal("12.35")
    assert str(from_minor(5, eur)) == "0.05"
    assert str(from_minor(1000, jpy)) == "1000"
    assert str(from_minor(1, bhd)) == "0.001"


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from([0, 2, 3]))
def test_from_minor_then_to_minor_is_identity(minor: int, exponent: int) -> None:
    cur = Currency("TST", exponent)
    assert to_minor(from_minor(minor, cur), cur) == minor


def test_money_arithmetic_is_exact_and_currency_safe() -> None:
    eur = currency("EUR")
    a, b = Money.of("0.10", eur), Money.of(Decimal("0.20"), eur)
    assert (a + b).amount == Decimal("0.30")
    assert (b - a).minor == 10
    assert (-a).minor == -10
    assert Money.zero(eur).minor == 0
    assert str(Money.of(3, eur)) == "3.00 EUR"
    with pytest.raises(ValueError, match="cannot mix EUR and USD"):
        _ = a + Money.of("1", currency("USD"))
    with pytest.raises(ValueError, match="cannot mix"):
        _ = a - Money.of("1", currency("USD"))


@pytest.mark.parametrize("bad", [1.5, True, float("nan")])
def test_floats_never_get_in(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_decimal(bad, field="unit_price")
    assert info.value.problems[0].code == "float"
    with pytest.raises(ValidationError):
        Money.of(bad, currency("EUR"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kwargs", "code"),
    [
        ("abc", {}, "not_a_number"),
        ("1_000", {}, "not_a_number"),
        ("NaN", {}, "not_a_number"),
        ("Infinity", {}, "not_a_number"),
        (Decimal("NaN"), {}, "not_a_number"),
        (Decimal("-Infinity"), {}, "not_a_number"),
        ([1], {}, "not_a_number"),
        ("-1", {"allow_negative": False}, "negative"),
        ("0", {"allow_zero": False}, "zero"),
        ("1.2345", {"max_places": 2}, "too_precise"),
        ("1.234", {}, "ambiguous"),
        ("", {}, "empty"),
    ],
)
def test_parse_decimal_refuses_bad_input(value: object, kwargs: dict[str, bool], code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_decimal(value, field="quantity", **kwargs)  # type: ignore[arg-type]
    assert info.value.problems[0].code == code
    assert info.value.problems[0].field == "quantity"


def test_parse_decimal_accepts_exact_inputs() -> None:
    assert parse_decimal(" 2.50 ", field="q") == Decimal("2.50")
    assert parse_decimal(7, field="q") == 7
    assert parse_decimal(Decimal("-1.5"), field="q") == Decimal("-1.5")
    assert parse_decimal("1.23", field="q", max_places=2) == Decimal("1.23")
