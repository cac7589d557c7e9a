"""Booking a provider's payment against what it names: a checkout session, an invoice
number, or an invoice's RF reference; once per provider payment id."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.domain.errors import Conflict, NotFound
from invoicer.domain.money import currency, from_minor
from invoicer.domain.payments.reference import rf_reference
from invoicer.services import checkout
from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment
from invoicer.services.payments_bank import invoice_for_reference
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
    if method == "bank_transfer":
        twin = svc.payments.same_money(invoice.id, amount_minor, by_provider=True)
        if twin is not None:
            return Outcome(
                "matched",
                f"The same transfer is booked on {invoice.number} already (from a bank statement).",
                twin.id,
            )
    payment = svc.payments.add(
        invoice.id,
        RecordPayment(
            amount=from_minor(amount_minor, currency(invoice.currency)),
            date=paid_on,
            method=method,
            reference=rf_reference(invoice.number or "")
            if method == "bank_transfer"
            else external_id,
            external_id=external_id,
            overpayment=True,  # the money arrived: record it, the merchant refunds the rest
            details=details or {},
        ),
    )
    return Outcome("booked", f"{invoice.number} paid.", payment.id)


def _invoice_id(svc: Services, reference: str) -> str:
    found = invoice_for_reference(svc, reference)
    if found is None:
        raise NotFound(f"No invoice has the reference {reference}.")
    return found
