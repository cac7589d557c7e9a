"""One.com's `payment.completed` (no public specification exists; the contract is ours and
is documented in docs/webhooks.md): Standard Webhooks signatures (webhook-id,
webhook-timestamp, webhook-signature: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
with the shop's `whsec_` secret), a 5-minute tolerance, constant-time comparison."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.webhooks import booking
from invoicer.services.webhooks.events import Outcome, once

PROVIDER = "onecom"
TOLERANCE = dt.timedelta(minutes=5)
METHODS = {"card": "card", "bank_transfer": "bank_transfer", "ideal": "other", "other": "other"}


class WebhookRefused(InvoicerError):
    """A webhook call that is not what it claims (signature, time, shape): nothing is done."""


def _key(secret: str) -> bytes:
    text = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return secret.encode()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header for this message (what One.com's side computes)."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_onecom(
    secret: str, headers: Mapping[str, str], body: bytes, now: dt.datetime
) -> dict[str, Any]:
    """The event, once its signature and timestamp check out."""
    webhook_id = headers.get("webhook-id") or ""
    stamp = headers.get("webhook-timestamp") or ""
    signatures = (headers.get("webhook-signature") or "").split()
    if not webhook_id or not stamp.isdigit() or not signatures or len(stamp) > 12:
        raise WebhookRefused("The webhook lacks its webhook-id, -timestamp or -signature header.")
    sent = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    if abs(now - sent) > TOLERANCE:
        raise WebhookRefused("The webhook's timestamp is more than 5 minutes off.")
    expected = sign(secret, webhook_id, int(stamp), body)
    if not any(hmac.compare_digest(expected.encode(), s.encode()) for s in signatures):
        raise WebhookRefused("The webhook's signature does not verify.")
    try:
        event = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRefused("The webhook body is not valid JSON.") from None
    if not isinstance(event, dict):
        raise WebhookRefused("The webhook body is not a JSON object.")
    event["_id"] = webhook_id
    return event


def handle_onecom(svc: Services, event: dict[str, Any]) -> Outcome:
    kind = str(event.get("type") or "")
    if kind != "payment.completed":
        return Outcome("ignored", f"{kind or 'This event'} is not one Invoicer acts on.")
    data = event.get("data")
    if not isinstance(data, dict):
        raise WebhookRefused("payment.completed without its data object.")
    amount, code = data.get("amount_minor"), data.get("currency")
    payment_id, reference = data.get("payment_id"), data.get("reference")
    if not (
        isinstance(amount, int)
        and not isinstance(amount, bool)
        and isinstance(code, str)
        and isinstance(payment_id, str)
        and payment_id
        and isinstance(reference, str)
        and reference
    ):
        raise WebhookRefused(
            "payment.completed needs data.amount_minor (an integer), data.currency, "
            "data.payment_id and data.reference."
        )
    method = METHODS.get(str(data.get("method") or "other"), "other")
    paid_on = None
    if isinstance(data.get("paid_at"), str):
        try:
            paid_on = dt.datetime.fromisoformat(data["paid_at"]).date()
        except ValueError:
            raise WebhookRefused("data.paid_at is not an ISO 8601 time.") from None
    return once(
        svc,
        PROVIDER,
        str(event["_id"]),
        kind,
        lambda: booking.book(
            svc,
            reference=reference,
            method=method,
            external_id=f"onecom:{payment_id}",
            amount_minor=amount,
            code=code,
            paid_on=paid_on,
            details={"provider": PROVIDER},
        ),
    )
