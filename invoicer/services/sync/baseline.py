"""A baseline for a store older than complete payloads: its events from before migration
0013 (schema 1) say what happened but not every column, so no replay can rebuild those rows.
When such a store brings its history to a server, it writes, as its linked device, one event
per row those old events left behind, each with the row's complete state, before any of its
history goes up (docs/sync.md "History from before complete payloads").

Which rows: the shop's profile, every customer and product (later events of theirs merge
over the baseline by their stamps, store/merge.py), and the documents, payments and payment
requests that no complete event describes (a document's PDF hash aside). Issued documents go
in the order they were issued, so every series is taken number by number, as issuing did.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invoicer.services.app import Services
from invoicer.store import audit, schema
from invoicer.store.audit import LEGACY_VERSION, SCHEMA_VERSION
from invoicer.store.event_state import invoice_state, row_state


def needs_baseline(session: Session) -> bool:
    found = select(schema.AuditEvent.seq).where(schema.AuditEvent.schema_version == LEGACY_VERSION)
    return session.execute(found.limit(1)).first() is not None


def _described(session: Session, entity: str) -> set[str]:
    """Ids of `entity` rows some complete event carries whole."""
    query = select(schema.AuditEvent.entity_id).where(
        schema.AuditEvent.schema_version == SCHEMA_VERSION,
        schema.AuditEvent.entity == entity,
        schema.AuditEvent.action != "invoice.pdf",
    )
    return set(session.execute(query.distinct()).scalars())


def write_baseline(svc: Services) -> int:
    """Append the baseline events (in one transaction); how many."""
    with svc.write() as session:
        events: list[tuple[str, str, str, dict[str, Any]]] = []
        shop = session.execute(select(schema.Shop)).scalar()
        if shop is not None:
            events.append(("shop.baseline", "shop", shop.id, {"row": row_state(shop)}))
        merged: tuple[tuple[Any, str], ...] = (
            (schema.Customer, "customer"),
            (schema.Product, "product"),
        )
        for model, entity in merged:
            for row in session.execute(select(model).order_by(model.created_at)).scalars():
                events.append((f"{entity}.baseline", entity, row.id, {"row": row_state(row)}))
        described = _described(session, "invoice")
        invoices = session.execute(
            select(schema.Invoice).order_by(
                schema.Invoice.issued_at.is_(None),  # issued first, in the order issued
                schema.Invoice.issued_at,
                schema.Invoice.seq,
                schema.Invoice.created_at,
            )
        ).scalars()
        for invoice in invoices:
            if invoice.id not in described:
                state = invoice_state(invoice)
                events.append(("invoice.baseline", "invoice", invoice.id, state))
        paid = _described(session, "payment")
        for payment in session.execute(select(schema.Payment)).scalars():
            if payment.id not in paid:
                state = {"row": row_state(payment)}
                events.append(("payment.baseline", "payment", payment.id, state))
        asked = _described(session, "payment_request")
        for request in session.execute(select(schema.PaymentRequest)).scalars():
            if request.id not in asked:
                state = {"row": row_state(request)}
                events.append(("payment_request.baseline", "payment_request", request.id, state))
        audit.append_many(session, events)
        return len(events)
