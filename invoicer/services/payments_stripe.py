"""Stripe Checkout links for invoices, and recording what was paid."""

from __future__ import annotations

from dataclasses import dataclass

from invoicer.domain.errors import Conflict
from invoicer.domain.money import currency, from_minor, to_minor
from invoicer.integrations import stripe_payments
from invoicer.services import payment_requests
from invoicer.services.app import Services
from invoicer.services.commands import NewPaymentRequest, RecordPayment


@dataclass(frozen=True, slots=True)
class RefreshReport:
    paid: tuple[str, ...]  # invoice numbers
    still_open: int
    expired: int


def stripe_client(svc: Services, api_key: str | None = None) -> object:
    """Stripe's client with the shop's own key (or `api_key`)."""
    key = api_key or svc.ctx.secrets.get_secret("stripe_secret_key")
    if not key:
        raise Conflict(
            "No Stripe key yet: store stripe_secret_key in Settings → Secrets, or run "
            "`invoicer secrets set stripe_secret_key`."
        )
    return stripe_payments.client(key, svc.ctx.require_settings().stripe_api_base)


def create_link(
    svc: Services,
    invoice_id: str,
    *,
    api_key: str | None = None,
    success_url: str = "https://invoicer.invalid/paid",
    cancel_url: str = "https://invoicer.invalid/cancelled",
) -> payment_requests.Request:
    invoice = svc.invoices.get(invoice_id)
    if invoice.number is None or invoice.kind != "invoice":
        raise Conflict("A payment link needs an issued invoice.")
    cur = currency(invoice.currency)
    balance = to_minor(invoice.balance, cur)
    if balance <= 0:
        raise Conflict(f"{invoice.number} has nothing left to pay.")
    for request in payment_requests.for_invoice(svc, invoice.id, "stripe"):
        if request.status == "open" and request.amount_minor == balance:
            return request  # the link already sent stays valid
    session = stripe_payments.create_checkout_session(
        stripe_client(svc, api_key),
        amount_minor=balance,
        currency=cur.code,
        invoice_number=invoice.number,
        description=f"{invoice.seller.name} – {invoice.number}",
        success_url=success_url,
        cancel_url=cancel_url,
        idempotency_key=f"invoicer-{invoice.id}-{balance}",
    )
    return payment_requests.add(
        svc,
        invoice.id,
        NewPaymentRequest(
            provider="stripe",
            external_id=session.id,
            url=session.url or "",
            amount_minor=balance,
            currency=cur.code,
        ),
    )


def refresh(svc: Services, *, api_key: str | None = None) -> RefreshReport:
    """Ask Stripe about every open link; record each payment once."""
    client_ = None
    paid: list[str] = []
    still_open = expired = 0
    for request in payment_requests.open_requests(svc, "stripe"):
        client_ = client_ or stripe_client(svc, api_key)
        session = stripe_payments.retrieve_checkout_session(client_, request.external_id)
        if session.payment_status == "paid" and session.payment_intent:
            invoice = svc.invoices.get(request.invoice_id)
            cur = currency(request.currency)
            amount = from_minor(session.amount_total or request.amount_minor, cur)
            if session.payment_intent not in svc.payments.external_ids("card"):
                svc.payments.add(
                    invoice.id,
                    RecordPayment(
                        amount=amount,
                        method="card",
                        reference=session.payment_intent,
                        external_id=session.payment_intent,
                        overpayment=True,
                        details={"stripe_session": session.id, "fee_minor": session.fee_minor},
                    ),
                )
                paid.append(invoice.number or invoice.id)
            payment_requests.set_status(svc, request.id, "paid")
        elif session.status == "expired":
            payment_requests.set_status(svc, request.id, "expired")
            expired += 1
        else:
            still_open += 1
    return RefreshReport(tuple(paid), still_open, expired)


def prepare() -> None:
    """Import Stripe's client library on the calling thread, before a worker thread uses it:
    PySide's import hook is not thread-safe, and a first import of a big package in a worker
    crashed the desktop app's tests (a segfault in shibokensupport's feature_imported)."""
    stripe_payments.load()
