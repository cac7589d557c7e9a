"""Checkout sessions: made for an invoice or a basket, found by their unguessable id,
cancelled, expired by their date."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select, update

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.domain.money import currency, to_minor
from invoicer.services import fields as field_checks
from invoicer.services.app import Services
from invoicer.services.checkout import basket
from invoicer.services.checkout.model import BuyerDetails, CheckoutView
from invoicer.services.commands import NewCheckout
from invoicer.store import schema
from invoicer.store.checkout_schema import CheckoutSession
from invoicer.store.database import Database
from invoicer.store.tenancy import NO_SHOP

DEFAULT_HOURS = 72
MAX_HOURS = 90 * 24
MAX_LINES = 100
PREFIX = "cs_"


def new_id() -> str:
    """192 random bits: the buyer's URL is the only key to the page."""
    return PREFIX + secrets.token_urlsafe(24)


def create(svc: Services, wanted: NewCheckout) -> CheckoutView:
    hours = _hours(wanted.expires_in_hours)
    language = _language(wanted.language)
    if (wanted.invoice_id is None) == (wanted.lines is None):
        raise ValidationError.single(
            "invoice_id",
            "one_of",
            "Give either invoice_id (an issued invoice to pay) or lines (a basket), not both.",
        )
    now = svc.ctx.stored_now()
    expires = now + dt.timedelta(hours=hours)
    if wanted.invoice_id is not None:
        if not isinstance(wanted.invoice_id, str) or not wanted.invoice_id.strip():
            raise ValidationError.single("invoice_id", "required", "Give the invoice's id.")
        invoice = svc.invoices.get(_invoice_id(svc, wanted.invoice_id.strip()))
        if invoice.kind != "invoice" or invoice.number is None:
            raise Conflict("A checkout needs an issued invoice; this one is a draft.")
        if invoice.balance <= 0:
            raise Conflict(f"{invoice.number} has nothing left to pay.")
        row = CheckoutSession(
            id=new_id(),
            kind="invoice",
            invoice_id=invoice.id,
            customer_id=invoice.customer_id,
            currency=invoice.currency,
            amount_minor=to_minor(invoice.balance, currency(invoice.currency)),
            language=language,  # else the page follows the buyer's browser
        )
    else:
        lines = basket.checked_lines(svc, wanted.lines or [], MAX_LINES)
        buyer = basket.checked_buyer(svc, wanted.buyer.given(), "buyer") if wanted.buyer else None
        priced = basket.quote_for(svc, lines, buyer)
        row = CheckoutSession(
            id=new_id(),
            kind="basket",
            lines=lines,
            buyer=basket.buyer_json(buyer),
            currency=priced.currency,
            amount_minor=priced.gross_minor,
            language=language or (buyer.language if buyer else None),
        )
    row.status = "open"
    row.expires_at = expires
    row.created_at = now
    row.created_by = svc.ctx.actor
    with svc.write() as session:
        session.add(row)
        session.flush()
        return view(session, row, now)


def get(svc: Services, checkout_id: str) -> CheckoutView:
    with svc.read() as session:
        return view(session, row_of(session, checkout_id), svc.ctx.stored_now())


def cancel(svc: Services, checkout_id: str) -> CheckoutView:
    now = svc.ctx.stored_now()
    with svc.write() as session:
        row = row_of(session, checkout_id)
        state = status(row, now)
        if state == "paid":
            raise Conflict("This checkout is paid; refund it with a credit note instead.")
        if state == "open":
            if row.claimed_at is not None:
                raise Conflict("The buyer is placing this order right now; try again shortly.")
            row.status = "cancelled"
        return view(session, row, now)


def shop_of(db: Database, checkout_id: str) -> str | None:
    """The shop a session belongs to, by its id alone: the one lookup across shops, for the
    buyer's page and webhooks (which come with no signed-in user)."""
    if not isinstance(checkout_id, str) or not checkout_id.startswith(PREFIX):
        return None
    table = CheckoutSession.__table__
    with db.read(shop_id=NO_SHOP) as session:
        found = session.execute(select(table.c.shop_id).where(table.c.id == checkout_id)).scalar()
    return str(found) if found else None


def row_of(session: Any, checkout_id: str) -> CheckoutSession:
    row = session.execute(select(CheckoutSession).where(CheckoutSession.id == checkout_id)).scalar()
    if row is None:
        raise NotFound("There is no such checkout session.")
    return row  # type: ignore[no-any-return]


def status(row: CheckoutSession, now: dt.datetime) -> str:
    if row.status == "open" and row.expires_at <= now:
        return "expired"
    return row.status


def view(session: Any, row: CheckoutSession, now: dt.datetime) -> CheckoutView:
    number = None
    if row.invoice_id:
        number = session.execute(
            select(schema.Invoice.number).where(schema.Invoice.id == row.invoice_id)
        ).scalar()
    return CheckoutView(
        id=row.id,
        shop_id=row.shop_id,
        kind=row.kind,
        status=status(row, now),
        invoice_id=row.invoice_id,
        invoice_number=number,
        currency=row.currency,
        amount_minor=row.amount_minor,
        language=row.language,
        expires_at=row.expires_at,
        created_at=row.created_at,
        paid_at=row.paid_at,
        payment_id=row.payment_id,
        buyer=basket.buyer_of(row.buyer),
    )


def claim(svc: Services, checkout_id: str, stale_after: dt.timedelta) -> bool:
    """Take the right to place a basket's order (True), unless another caller holds it or
    the order is placed already (False)."""
    now = svc.ctx.stored_now()
    with svc.write() as session:
        done = session.execute(
            update(CheckoutSession)
            .where(
                CheckoutSession.id == checkout_id,
                CheckoutSession.invoice_id.is_(None),
                CheckoutSession.status == "open",
                (CheckoutSession.claimed_at.is_(None))
                | (CheckoutSession.claimed_at < now - stale_after),
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def placed(
    svc: Services, checkout_id: str, invoice_id: str | None, customer_id: str | None
) -> None:
    """Record the order's invoice (or, with None, release a claim that failed)."""
    with svc.write() as session:
        row = row_of(session, checkout_id)
        row.claimed_at = None
        if invoice_id is not None:
            row.invoice_id, row.customer_id = invoice_id, customer_id


def set_buyer(svc: Services, checkout_id: str, buyer: BuyerDetails) -> CheckoutView:
    now = svc.ctx.stored_now()
    with svc.write() as session:
        row = row_of(session, checkout_id)
        if row.kind != "basket":
            raise Conflict("The buyer of an invoice is on the invoice.")
        if status(row, now) != "open" or row.invoice_id or row.claimed_at:
            raise Conflict("This order is placed already; its buyer cannot change.")
        row.buyer = basket.buyer_json(buyer)
        row.language = buyer.language or row.language
        return view(session, row, now)


def mark_paid(svc: Services, checkout_id: str, payment_id: str | None) -> CheckoutView:
    now = svc.ctx.stored_now()
    with svc.write() as session:
        row = row_of(session, checkout_id)
        if row.status != "paid":
            row.status, row.paid_at, row.payment_id = "paid", now, payment_id
        return view(session, row, now)


def set_provider_session(svc: Services, checkout_id: str, provider_session: str) -> None:
    with svc.write() as session:
        row_of(session, checkout_id).provider_session = provider_session


def provider_session(svc: Services, checkout_id: str) -> str | None:
    with svc.read() as session:
        return row_of(session, checkout_id).provider_session


def _invoice_id(svc: Services, given: str) -> str:
    with svc.read() as session:
        found = session.execute(
            select(schema.Invoice.id).where(
                (schema.Invoice.id == given) | (schema.Invoice.number == given)
            )
        ).scalar()
    if found is None:
        raise NotFound(f"There is no invoice {given}.")
    return str(found)


def _hours(value: object) -> int:
    if value is None:
        return DEFAULT_HOURS
    fields = field_checks.Fields({"expires_in_hours": value}, ("expires_in_hours",))
    hours = fields.integer("expires_in_hours", minimum=1, maximum=MAX_HOURS)
    fields.done()
    return hours or DEFAULT_HOURS


def _language(value: object) -> str | None:
    if value is None:
        return None
    fields = field_checks.Fields({"language": value}, ("language",))
    language = fields.language("language")
    fields.done()
    return language
