"""A quote's lines as stored (JSON dicts on the quote row) and as the engine, the views and
the conversion take them: invoice lines that are never stored, view lines, chosen lines, and
in words what the VAT decided again changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.domain.errors import ValidationError
from invoicer.services import mapping, views
from invoicer.store import schema
from invoicer.store.quote_schema import Quote


def next_position(row: Quote) -> int:
    return max((line["position"] for line in row.lines), default=0) + 1


def line_json(line: schema.InvoiceLine, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "product_id": line.product_id,
        "description": line.description,
        "quantity": format(Decimal(line.quantity), "f"),
        "unit_price": format(Decimal(line.unit_price), "f"),
        "unit_code": line.unit_code,
        "rate_class": line.rate_class,
        "supply_kind": line.supply_kind,
        "art59_service": bool(line.art59_service),
        "net_minor": line.net_minor or 0,
        "category": line.category,
        "rate": format(line.rate, "f") if line.rate is not None else None,
        "exemption_code": line.exemption_code,
        "exemption_text": line.exemption_text,
        "tax_country": line.tax_country,
    }


def line_row(line: dict[str, Any]) -> schema.InvoiceLine:
    """A quote's line as an invoice line that is never stored (for the engine)."""
    return schema.InvoiceLine(
        position=line["position"],
        product_id=line["product_id"],
        description=line["description"],
        quantity=Decimal(line["quantity"]),
        unit_price=Decimal(line["unit_price"]),
        unit_code=line["unit_code"],
        rate_class=line["rate_class"],
        supply_kind=line["supply_kind"],
        art59_service=bool(line["art59_service"]),
    )


def line_view(line: dict[str, Any], quote_id: str, code: str) -> views.InvoiceLine:
    return views.InvoiceLine(
        id=f"{quote_id}:{line['position']}",
        position=line["position"],
        product_id=line["product_id"],
        description=line["description"],
        quantity=Decimal(line["quantity"]),
        unit_code=line["unit_code"],
        unit_price=Decimal(line["unit_price"]),
        rate_class=line["rate_class"],
        supply_kind=line["supply_kind"],
        net=mapping.money(line["net_minor"], code),
        category=line["category"],
        rate=Decimal(line["rate"]) if line["rate"] is not None else None,
        exemption_code=line["exemption_code"],
        exemption_text=line["exemption_text"],
        tax_country=line["tax_country"],
    )


def chosen(row: Quote, positions: object) -> list[dict[str, Any]]:
    if positions is None or positions == []:
        return list(row.lines)
    if not isinstance(positions, list) or not all(
        isinstance(p, int) and not isinstance(p, bool) for p in positions
    ):
        raise ValidationError.single(
            "positions", "invalid", "Positions are a list of the quote's line numbers (1, 2...)."
        )
    known = {line["position"] for line in row.lines}
    unknown = sorted({p for p in positions if p not in known})
    if unknown:
        listed = ", ".join(str(p) for p in unknown)
        raise ValidationError.single(
            "positions", "not_found", f"Quote {row.number} has no line {listed}."
        )
    return [line for line in row.lines if line["position"] in set(positions)]


def vat_changes(chosen: list[dict[str, Any]], preview: views.Invoice) -> list[str]:
    """In words, each line whose VAT category or rate differs from the quote's."""
    changes = []
    for line, now in zip(chosen, preview.lines, strict=True):
        before = (line["category"], Decimal(line["rate"]) if line["rate"] is not None else None)
        if before != (now.category, now.rate):
            was, is_now = _vat(*before), _vat(now.category, now.rate)
            changes.append(f"{line['description']}: {was} in the quote, {is_now} now.")
    return changes


def _vat(category: str | None, rate: Decimal | None) -> str:
    if rate is None:
        return "no VAT decided"
    return f"{rate.normalize():f}% ({category})"
