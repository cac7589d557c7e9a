"""Store rows -> the views the front-ends get."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicer.domain.money import currency, from_minor
from invoicer.services import views
from invoicer.services.status import status_of
from invoicer.store import schema


def money(minor: int, code: str) -> Decimal:
    return from_minor(minor, currency(code))


def shop(row: schema.Shop) -> views.ShopProfile:
    return views.ShopProfile(**{f: getattr(row, f) for f in views.ShopProfile.__dataclass_fields__})


def customer(row: schema.Customer) -> views.Customer:
    values = {f: getattr(row, f) for f in views.Customer.__dataclass_fields__}
    values["is_business"] = bool(row.is_business if row.is_business is not None else row.vat_number)
    return views.Customer(**values)


def product(row: schema.Product) -> views.Product:
    return views.Product(**{f: getattr(row, f) for f in views.Product.__dataclass_fields__})


def party(snapshot: dict[str, Any] | None, fallback_name: str) -> views.Party:
    if not snapshot:
        return views.Party(name=fallback_name)
    known = views.Party.__dataclass_fields__
    return views.Party(**{k: v for k, v in snapshot.items() if k in known})


def status(row: Any, today: dt.date) -> str:
    """Derived, never stored: from the issued flag, payments, credits and the due date."""
    return status_of(
        issued=row.issued_at is not None,
        kind=row.kind,
        gross_minor=row.gross_minor,
        paid_minor=row.paid_minor,
        credited_minor=row.credited_minor,
        due_date=row.due_date,
        today=today,
    )


def summary(row: Any, today: dt.date) -> views.InvoiceSummary:
    code = row.currency
    balance = row.gross_minor - row.paid_minor - row.credited_minor if row.kind == "invoice" else 0
    return views.InvoiceSummary(
        id=row.id,
        kind=row.kind,
        number=row.number,
        status=status(row, today),
        issue_date=row.issue_date,
        due_date=row.due_date,
        customer_id=row.customer_id,
        customer_name=row.customer_name,
        currency=code,
        net=money(row.net_minor, code),
        vat=money(row.vat_minor, code),
        gross=money(row.gross_minor, code),
        paid=money(row.paid_minor, code),
        balance=money(balance, code),
    )


def line(row: schema.InvoiceLine, code: str) -> views.InvoiceLine:
    return views.InvoiceLine(
        id=row.id,
        position=row.position,
        product_id=row.product_id,
        description=row.description,
        quantity=row.quantity,
        unit_code=row.unit_code,
        unit_price=row.unit_price,
        rate_class=row.rate_class,
        supply_kind=row.supply_kind,
        net=money(row.net_minor, code),
        category=row.category,
        rate=row.rate,
        exemption_code=row.exemption_code,
        exemption_text=row.exemption_text,
        tax_country=row.tax_country,
        credited_line_id=row.credited_line_id,
    )


def group(row: schema.VatGroupRow, code: str) -> views.VatGroup:
    return views.VatGroup(
        category=row.category,
        rate=row.rate,
        taxable=money(row.taxable_minor, code),
        tax=money(row.tax_minor, code),
        exemption_code=row.exemption_code,
        exemption_text=row.exemption_text,
    )


def payment(row: schema.Payment) -> views.Payment:
    return views.Payment(
        id=row.id,
        invoice_id=row.invoice_id,
        amount=money(row.amount_minor, row.currency),
        currency=row.currency,
        date=row.date,
        method=row.method,
        reference=row.reference,
        external_id=row.external_id,
        extra=row.extra,
        overpayment=row.overpayment,
    )
