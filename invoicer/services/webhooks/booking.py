"""Booking a provider's payment against what it names: a checkout session, an invoice
number, or an invoice's RF reference; once per provider payment id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.domain.errors import Conflict, NotFound
from invoicer.domain.money import currency, from_minor
from invoicer.domain.payments.reference import compact, is_rf_reference, rf_reference
from invoicer.services import checkout
from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment
from invoicer.services.webhooks.events import Outcome


def book(
    svc: Services,
    *,
    reference: str,
    method: str,
    external_id: str,
    amount_minor: int,
    code: str,
    paid_on: dt.date | None = None,
    details: dict[str, Any] | None = None,
) -> Outcome:
    if amount_minor <= 0:
        return Outcome("ignored", "Nothing was paid.")
    if reference.startswith(checkout.sessions.PREFIX):
        view = checkout.complete(
            svc,
            reference,
            method=method,
            external_id=external_id,
            amount_minor=amount_minor,
            currency_code=code,
            paid_on=paid_on,
            details=details,
        )
        return Outcome("booked", f"Checkout {reference} paid.", view.payment_id)
    seen = checkout.booked_payment(svc, method, external_id)
    if seen is not None:
        return Outcome("duplicate", f"Payment {external_id} is booked already.", seen)
    invoice = svc.invoices.get(_invoice_id(svc, reference))
    if invoice.currency != code.upper():
        raise Conflict(f"The payment is in {code.upper()}; {invoice.number} in {invoice.currency}.")
    payment = svc.payments.add(
        invoice.id,
        RecordPayment(
            amount=from_minor(amount_minor, currency(invoice.currency)),
            date=paid_on,
            method=method,
            reference=external_id,
            external_id=external_id,
            overpayment=True,  # the money arrived: record it, the merchant refunds the rest
            details=details or {},
        ),
    )
    return Outcome("booked", f"{invoice.number} paid.", payment.id)


def _invoice_id(svc: Services, reference: str) -> str:
    """An invoice named by its number or by its RF reference (ISO 11649)."""
    from sqlalchemy import select

    from invoicer.store import schema

    with svc.read() as session:
        found = session.execute(
            select(schema.Invoice.id).where(
                schema.Invoice.number == reference, schema.Invoice.kind == "invoice"
            )
        ).scalar()
        if found is None and is_rf_reference(reference):
            wanted = compact(reference).upper()
            numbers = session.execute(
                select(schema.Invoice.id, schema.Invoice.number).where(
                    schema.Invoice.kind == "invoice",
                    schema.Invoice.number.is_not(None),
                    schema.Invoice.paid_minor + schema.Invoice.credited_minor
                    < schema.Invoice.gross_minor,
                )
            ).all()
            hits = [i for i, number in numbers if number and rf_reference(number) == wanted]
            found = hits[0] if len(hits) == 1 else None
    if found is None:
        raise NotFound(f"No invoice has the reference {reference}.")
    return str(found)
