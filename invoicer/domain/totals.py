"""Invoice totals by the EN 16931 calculation model.

- line net = round(quantity x unit price), to the currency's exponent (BR-DEC-23);
- VAT per (category, rate, exemption) group = round(sum of line nets x rate / 100) (BR-CO-17);
- totals are sums of the rounded parts (BR-CO-10, -14, -15).

Summing per-line VAT instead drifts by a cent: 3 x 1.05 at 9 % is 0.27 per line but 0.28
per group, and 0.28 is what every e-invoice validator expects.

>>> from invoicer.domain.money import currency
>>> from invoicer.domain.vat.model import VatCategory
>>> t = compute_totals([TaxedLine(Decimal("3"), Decimal("1.05"), VatCategory.STANDARD,
...                               Decimal("9"))], currency("EUR"))
>>> t.net_minor, t.vat_minor, t.gross_minor
(315, 28, 343)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoicer.domain import limits
from invoicer.domain.money import Currency, round_half_up, to_minor
from invoicer.domain.vat.model import VatCategory, VatGroup

__all__ = ["TaxedLine", "Totals", "compute_totals", "line_net_minor", "net_total_minor"]


@dataclass(frozen=True, slots=True)
class TaxedLine:
    """A line whose VAT category and rate are already decided."""

    quantity: Decimal
    unit_price: Decimal
    category: VatCategory
    rate: Decimal
    exemption_code: str | None = None
    exemption_text: str | None = None


@dataclass(frozen=True, slots=True)
class Totals:
    line_nets_minor: tuple[int, ...]
    groups: tuple[VatGroup, ...]
    net_minor: int
    vat_minor: int
    gross_minor: int


def line_net_minor(quantity: Decimal, unit_price: Decimal, cur: Currency) -> int:
    """round(quantity x unit price) in minor units, within the limits of limits.py."""
    limits.check_quantity(quantity, field="lines", name="A line's quantity")
    limits.check_unit_price(unit_price, field="lines", name="A line's unit price")
    return limits.check_amount(to_minor(quantity * unit_price, cur), cur, "A line's net amount")


def net_total_minor(lines: Sequence[tuple[Decimal, Decimal]], cur: Currency) -> int:
    """The sum of the (quantity, unit price) lines' nets, refused past the limits before any
    VAT is decided (so a draft can never hold more than an invoice can)."""
    nets = [line_net_minor(quantity, price, cur) for quantity, price in lines]
    return limits.check_amount(sum(nets), cur, "The invoice's net total")


def compute_totals(lines: Sequence[TaxedLine], cur: Currency) -> Totals:
    nets = tuple(line_net_minor(line.quantity, line.unit_price, cur) for line in lines)
    taxable: dict[tuple[VatCategory, Decimal, str | None], int] = {}
    texts: dict[tuple[VatCategory, Decimal, str | None], str | None] = {}
    for line, net in zip(lines, nets, strict=True):
        key = (line.category, line.rate, line.exemption_code)
        taxable[key] = taxable.get(key, 0) + net
        texts.setdefault(key, line.exemption_text)
    groups = tuple(
        VatGroup(
            category=key[0],
            rate=key[1],
            taxable_minor=base,
            tax_minor=group_tax_minor(base, key[1]),
            exemption_code=key[2],
            exemption_text=texts[key],
        )
        for key, base in taxable.items()
    )
    net = limits.check_amount(sum(nets), cur, "The invoice's net total")
    vat = limits.check_amount(sum(g.tax_minor for g in groups), cur, "The invoice's VAT")
    gross = limits.check_amount(net + vat, cur, "The invoice total")
    return Totals(nets, groups, net, vat, gross)


def group_tax_minor(taxable_minor: int, rate: Decimal) -> int:
    """round(taxable x rate / 100) in minor units, half-up and symmetric for negatives."""
    exact = Decimal(taxable_minor) * rate / 100
    return int(round_half_up(exact, 0))
