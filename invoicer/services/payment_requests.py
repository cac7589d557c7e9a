"""Payment requests offered on an invoice (Stripe links, crypto requests), and their state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from invoicer.domain.errors import Conflict
from invoicer.services.app import Services
from invoicer.services.commands import NewPaymentRequest
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    invoice_id: str
    provider: str
    external_id: str
    url: str
    amount_minor: int
    currency: str
    status: str
    details: dict[str, Any]


def _view(row: schema.PaymentRequest) -> Request:
    return Request(
        row.id,
        row.invoice_id,
        row.provider,
        row.external_id,
        row.url,
        row.amount_minor,
        row.currency,
        row.status,
        dict(row.details or {}),
    )


def add(svc: Services, invoice_id: str, request: NewPaymentRequest) -> Request:
    provider, external_id, url = request.provider, request.external_id, request.url
    amount_minor, currency = request.amount_minor, request.currency
    details = dict(request.details or {})
    with svc.write() as session:
        seen = session.execute(
            select(schema.PaymentRequest).where(
                schema.PaymentRequest.provider == provider,
                schema.PaymentRequest.external_id == external_id,
            )
        ).scalar()
        if seen is not None:
            return _view(seen)  # idempotent: the provider gave back the same request
        row = schema.PaymentRequest(
            invoice_id=invoice_id,
            provider=provider,
            external_id=external_id,
            url=url,
            amount_minor=amount_minor,
            currency=currency,
            status="open",
            details=details,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            f"payment_request.{provider}",
            "payment_request",
            row.id,
            {"row": row_state(row)},
        )
        return _view(row)


def for_invoice(svc: Services, invoice_id: str, provider: str | None = None) -> list[Request]:
    query = select(schema.PaymentRequest).where(schema.PaymentRequest.invoice_id == invoice_id)
    if provider:
        query = query.where(schema.PaymentRequest.provider == provider)
    with svc.read() as session:
        rows = session.execute(query.order_by(schema.PaymentRequest.created_at)).scalars()
        return [_view(r) for r in rows]


def open_requests(svc: Services, provider: str) -> list[Request]:
    with svc.read() as session:
        rows = session.execute(
            select(schema.PaymentRequest).where(
                schema.PaymentRequest.provider == provider, schema.PaymentRequest.status == "open"
            )
        ).scalars()
        return [_view(r) for r in rows]


def set_status(svc: Services, request_id: str, status: str) -> None:
    if status not in ("open", "paid", "expired"):
        raise Conflict(f"Unknown payment request status {status!r}.")
    with svc.write() as session:
        row = session.get(schema.PaymentRequest, request_id)
        if row is None or row.status == status:
            return
        row.status = status
        audit.append(
            session, "payment_request.status", "payment_request", row.id, {"row": row_state(row)}
        )
