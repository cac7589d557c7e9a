"""Stripe's events (verified by the caller with the official library and the shop's own
webhook secret): a paid Checkout Session and a succeeded payment intent book the same
payment (the intent id is its id, so the pair books once); a refunded charge becomes a
refund proposal; any other event is acknowledged and ignored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.services.app import Services
from invoicer.services.webhooks import booking
from invoicer.services.webhooks.events import Outcome, once, propose_refund

PROVIDER = "stripe"
HANDLED = ("checkout.session.completed", "payment_intent.succeeded", "charge.refunded")


def handle_stripe(svc: Services, event: dict[str, Any]) -> Outcome:
    event_id, kind = str(event.get("id") or ""), str(event.get("type") or "")
    if not event_id:
        return Outcome("ignored", "The event has no id.")
    obj = (event.get("data") or {}).get("object") or {}
    if kind not in HANDLED or not isinstance(obj, dict):
        return Outcome("ignored", f"{kind or 'This event'} is not one Invoicer acts on.")
    metadata = obj.get("metadata") or {}
    shop = metadata.get("invoicer_shop")
    if shop is not None and shop != svc.ctx.shop_id:
        return Outcome("ignored", "The event is about another shop.")
    return once(svc, PROVIDER, event_id, kind, lambda: _act(svc, kind, obj, metadata, event))


def _act(
    svc: Services, kind: str, obj: dict[str, Any], metadata: dict[str, Any], event: dict[str, Any]
) -> Outcome:
    if kind == "charge.refunded":
        return _refund(svc, obj)
    reference = metadata.get("invoicer_checkout") or metadata.get("invoice_number")
    if not reference:
        return Outcome("ignored", "The payment names no invoice or checkout of Invoicer.")
    if kind == "checkout.session.completed":
        if obj.get("payment_status") != "paid" or not obj.get("payment_intent"):
            return Outcome("ignored", "The session is complete but not paid (yet).")
        intent = obj["payment_intent"]
        intent_id = intent if isinstance(intent, str) else intent.get("id")
        amount, code = obj.get("amount_total"), obj.get("currency")
        details = {"stripe_session": obj.get("id")}
    else:
        intent_id = obj.get("id")
        amount, code = obj.get("amount_received") or obj.get("amount"), obj.get("currency")
        details = {}
    if not isinstance(amount, int) or not isinstance(code, str) or not intent_id:
        return Outcome("ignored", "The event has no amount, currency or payment id.")
    created = event.get("created")
    paid_on = (
        dt.datetime.fromtimestamp(created, dt.UTC).date() if isinstance(created, int) else None
    )
    return booking.book(
        svc,
        reference=str(reference),
        method="card",
        external_id=str(intent_id),
        amount_minor=amount,
        code=code,
        paid_on=paid_on,
        details=details,
    )


def _refund(svc: Services, charge: dict[str, Any]) -> Outcome:
    intent = charge.get("payment_intent")
    refunded, code = charge.get("amount_refunded"), charge.get("currency")
    if not intent or not isinstance(refunded, int) or not isinstance(code, str):
        return Outcome("ignored", "The refund names no payment.")
    from sqlalchemy import select

    from invoicer.store import schema

    with svc.read() as session:
        invoice_id = session.execute(
            select(schema.Payment.invoice_id).where(
                schema.Payment.method == "card", schema.Payment.external_id == str(intent)
            )
        ).scalar()
    if invoice_id is None:
        return Outcome("ignored", "The refunded payment was never booked here.")
    return propose_refund(
        svc, str(invoice_id), PROVIDER, str(charge.get("id") or intent), refunded, code.upper()
    )
