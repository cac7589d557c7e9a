from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoicer.domain.money import currency
from invoicer.domain.totals import TaxedLine, compute_totals, group_tax_minor, line_net_minor
from invoicer.domain.vat.model import VatCategory

EUR = currency("EUR")
S, E = VatCategory.STANDARD, VatCategory.EXEMPT


def line(qty: str, price: str, rate: str = "21", cat: VatCategory = S) -> TaxedLine:
    return TaxedLine(Decimal(qty), Decimal(price), cat, Decimal(rate))


# VAT.md §1.6 worked examples: per-group VAT (BR-CO-17), not the per-line sum.
@pytest.mark.parametrize(
    ("lines", "taxable", "vat"),
    [
        ([line("3", "1.05", "9")], 315, 28),
        ([line("1", "0.50"), line("1", "0.55")], 105, 22),
        ([line("10", "0.99")], 990, 208),
        ([line("4", "7.35", "25.5")], 2940, 750),
        ([line("1", "2.50", "5")], 250, 13),
        ([line("1", "-2.50", "5")], -250, -13),
    ],
)
def test_worked_rounding_examples(lines: list[TaxedLine], taxable: int, vat: int) -> None:
    totals = compute_totals(lines, EUR)
    assert totals.net_minor == taxable
    assert totals.vat_minor == vat
    assert totals.gross_minor == taxable + vat
    (group,) = totals.groups
    assert (group.taxable_minor, group.tax_minor) == (taxable, vat)


def test_groups_split_by_category_rate_and_exemption() -> None:
    lines = [
        line("1", "10.00", "21"),
        line("2", "5.00", "9"),
        line("1", "3.00", "21"),
        TaxedLine(Decimal(1), Decimal("7.00"), E, Decimal(0), "VATEX-EU-132", "Exempt"),
    ]
    totals = compute_totals(lines, EUR)
    assert [(g.category, g.rate, g.taxable_minor, g.tax_minor) for g in totals.groups] == [
        (S, Decimal(21), 1300, 273),
        (S, Decimal(9), 1000, 90),
        (E, Decimal(0), 700, 0),
    ]
    assert totals.groups[2].exemption_text == "Exempt"
    assert totals.line_nets_minor == (1000, 1000, 300, 700)


def test_zero_exponent_currency() -> None:
    jpy = currency("JPY")
    assert line_net_minor(Decimal("3"), Decimal("333.5"), jpy) == 1001
    totals = compute_totals([line("3", "333.5", "10")], jpy)
    assert (totals.net_minor, totals.vat_minor) == (1001, 100)


def test_group_tax_rounds_half_up_symmetrically() -> None:
    assert group_tax_minor(250, Decimal(5)) == 13
    assert group_tax_minor(-250, Decimal(5)) == -13


prices = st.decimals(min_value=Decimal("-10000"), max_value=Decimal("10000"), places=4)
quantities = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000"), places=3)
rates = st.sampled_from([Decimal(r) for r in ["0", "5.5", "9", "13.5", "21", "25.5"]])
lines_strategy = st.lists(
    st.builds(lambda q, p, r: TaxedLine(q, p, S, r), quantities, prices, rates),
    min_size=1,
    max_size=20,
)


@given(lines_strategy)
def test_net_plus_vat_is_gross_and_groups_sum_to_lines(lines: list[TaxedLine]) -> None:
    totals = compute_totals(lines, EUR)
    assert totals.net_minor + totals.vat_minor == totals.gross_minor
    assert sum(g.taxable_minor for g in totals.groups) == sum(totals.line_nets_minor)
    assert sum(g.taxable_minor for g in totals.groups) == totals.net_minor
    assert sum(g.tax_minor for g in totals.groups) == totals.vat_minor
    assert all(isinstance(n, int) for n in totals.line_nets_minor)


@given(lines_strategy)
def test_full_credit_note_is_the_exact_negative(lines: list[TaxedLine]) -> None:
    invoice = compute_totals(lines, EUR)
    credit = compute_totals(
        [TaxedLine(-ln.quantity, ln.unit_price, ln.category, ln.rate) for ln in lines], EUR
    )
    assert credit.net_minor == -invoice.net_minor
    assert credit.vat_minor == -invoice.vat_minor
    assert credit.gross_minor == -invoice.gross_minor
    assert [g.tax_minor for g in credit.groups] == [-g.tax_minor for g in invoice.groups]
