"""Rebuild a store from events: the other end of the sync feed (DESIGN.md §5, §11).

Each event's payload (schema version 2, store/event_state.py) is applied to the rows, in
order, and the event itself is stored as it came (same id, device, place in its chain and
hash), so the rebuilt store's audit trail verifies too. The database's own rules stay on:
an issued document is written as a draft, its lines and VAT groups added, then issued, as
issuing does; its number takes the next one of its series (a feed that skips one is
refused); the running figures (paid, credited), the VAT day totals and the audit heads
follow by the triggers, as they did in the original store.

An event already in the store (same id) is skipped, so a feed can be applied again. An
event that does not continue its device's chain (a gap, a changed or forged event), or that
predates complete payloads (schema version 1), is refused and nothing of its batch is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, text, update
from sqlalchemy.orm import Session

from invoicer.store import merge, schema
from invoicer.store.audit import SCHEMA_VERSION, chain_end, hash_of
from invoicer.store.event_state import IncompletePayload, column_values
from invoicer.store.tenancy import shop_of

EVENT_COLUMNS = (
    "id",
    "device_id",
    "device_seq",
    "schema_version",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "state",
    "prev_hash",
    "hash",
)
# Entities whose events carry one whole row, written as it is.
ROW_ENTITIES: dict[str, Any] = {
    "shop": schema.Shop,
    "customer": schema.Customer,
    "product": schema.Product,
    "payment_request": schema.PaymentRequest,
    "device": schema.Device,
}


def _table(model: Any) -> Table:
    return schema.Base.metadata.tables[model.__tablename__]


class ReplayRefused(ValueError):
    """An event that cannot be applied: the message says which and why."""


def events_of(session: Session, batch: int = 1000) -> Iterator[schema.AuditEvent]:
    """A store's events in the order it appended them."""
    query = select(schema.AuditEvent).order_by(schema.AuditEvent.seq)
    yield from session.execute(query.execution_options(yield_per=batch)).scalars()


def apply_events(session: Session, events: Iterable[schema.AuditEvent]) -> int:
    """Apply `events` in order inside the caller's write transaction; how many were new."""
    applied = 0
    for event in events:
        applied += apply_event(session, event)
    return applied


def apply_event(session: Session, event: schema.AuditEvent) -> bool:
    """Apply one event and store it; False if the store already has it."""
    seen = session.execute(
        select(schema.AuditEvent.seq).where(schema.AuditEvent.id == event.id)
    ).first()
    if seen is not None:
        return False
    name = f"event {event.device_seq} of device {event.device_id} ({event.action})"
    _check_continues_chain(session, event, name)
    try:
        state = json.loads(event.state)
        row = state.get("row", state)
        if row.get("id") != event.entity_id:
            raise ValueError(f"it is about {row.get('id')!r}, the event about {event.entity_id!r}")
        _handler(event)(session, state)
    except (IncompletePayload, AttributeError, KeyError, TypeError, ValueError) as error:
        raise ReplayRefused(f"{name}: its payload cannot be applied ({error}).") from None
    table = _table(schema.AuditEvent)
    values = {column: getattr(event, column) for column in EVENT_COLUMNS}
    session.execute(insert(table).values(_scoped(session, table, values)))
    return True


def _check_continues_chain(session: Session, event: schema.AuditEvent, name: str) -> None:
    if event.schema_version != SCHEMA_VERSION:
        raise ReplayRefused(
            f"{name} was written before events carried complete payloads (schema version "
            f"{event.schema_version}); it cannot be replayed."
        )
    last_seq, last_hash = chain_end(session, event.device_id)
    if event.device_seq != last_seq + 1:
        raise ReplayRefused(f"{name} does not follow event {last_seq} of its device.")
    if event.prev_hash != last_hash or hash_of(event, last_hash) != event.hash:
        raise ReplayRefused(f"{name} is not the event its device wrote (its hash differs).")


def _handler(event: schema.AuditEvent) -> Callable[[Session, dict[str, Any]], None]:
    if merge.merged(event.entity):  # edits of several devices: merged per field
        return lambda session, state: merge.apply(session, event, state)
    if event.entity in ROW_ENTITIES:
        model = ROW_ENTITIES[event.entity]
        return lambda session, state: _upsert(session, model, column_values(model, state["row"]))
    if event.entity == "payment":
        return _payment
    if event.entity == "invoice":
        if event.action == "invoice.delete_draft":
            return _delete_draft
        if event.action == "invoice.pdf":
            return _pdf
        return _invoice
    raise ValueError(f"no replay rule for {event.entity} events")


def _scoped(session: Session, table: Table, values: dict[str, Any]) -> dict[str, Any]:
    if "shop_id" in table.c:
        return {**values, "shop_id": shop_of(session)}
    return values


def _upsert(session: Session, model: Any, values: dict[str, Any]) -> None:
    table = _table(model)
    values = _scoped(session, table, values)
    keys = list(table.primary_key.columns)
    where = and_(*(column == values[column.key] for column in keys))
    if session.execute(select(keys[0]).where(where)).first() is None:
        session.execute(insert(table).values(values))
    else:
        session.execute(update(table).where(where).values(values))


def _payment(session: Session, state: dict[str, Any]) -> None:
    # Append-only: a trigger adds it to its invoice's paid amount.
    table = _table(schema.Payment)
    values = _scoped(session, table, column_values(schema.Payment, state["row"]))
    session.execute(insert(table).values(values))


def _invoice(session: Session, state: dict[str, Any]) -> None:
    """A draft as it now is, or a document being issued: written as a draft with its lines
    and VAT groups, then issued (the triggers freeze it from there)."""
    values = column_values(schema.Invoice, state["row"])
    issued_at = values.pop("issued_at")
    invoice_id = values["id"]
    _upsert(session, schema.Invoice, {**values, "issued_at": None})
    for model, rows in (
        (schema.InvoiceLine, state["lines"]),
        (schema.VatGroupRow, state["vat_groups"]),
    ):
        children = [column_values(model, row) for row in rows]
        table = _table(model)
        session.execute(
            delete(table).where(
                table.c.invoice_id == invoice_id,
                table.c.id.not_in([child["id"] for child in children]),
            )
        )
        for child in children:
            if child["invoice_id"] != invoice_id:
                raise ValueError(f"a {table.name} row of another invoice")
            _upsert(session, model, child)
    if issued_at is not None:
        _take_number(session, values["series"], values["year"], values["seq"])
        session.execute(
            update(_table(schema.Invoice))
            .where(schema.Invoice.id == invoice_id)
            .values(issued_at=issued_at)
        )


def _take_number(session: Session, series: str, year: int, seq: int) -> None:
    """Move the series counter on by one, as issuing did: it must reach `seq`."""
    params = {"shop": shop_of(session), "s": series, "y": year}
    counter = text(
        "SELECT next_seq FROM number_series WHERE shop_id = :shop AND series = :s AND year = :y"
    )
    next_seq = session.execute(counter, params).scalar()
    if next_seq is None:
        session.execute(
            text(
                "INSERT INTO number_series (shop_id, series, year, next_seq) "
                "VALUES (:shop, :s, :y, 1)"
            ),
            params,
        )
        next_seq = 1
    if next_seq != seq:
        raise ValueError(f"number {seq} of {series} {year} is not the next one ({next_seq})")
    session.execute(
        text(
            "UPDATE number_series SET next_seq = next_seq + 1 "
            "WHERE shop_id = :shop AND series = :s AND year = :y"
        ),
        params,
    )


def _delete_draft(session: Session, state: dict[str, Any]) -> None:
    invoice_id = state["id"]
    for model in (schema.InvoiceLine, schema.VatGroupRow):
        table = _table(model)
        session.execute(delete(table).where(table.c.invoice_id == invoice_id))
    session.execute(
        delete(_table(schema.Invoice)).where(
            schema.Invoice.id == invoice_id, schema.Invoice.issued_at.is_(None)
        )
    )


def _pdf(session: Session, state: dict[str, Any]) -> None:
    session.execute(
        update(_table(schema.Invoice))
        .where(schema.Invoice.id == state["id"])
        .values(pdf_sha256=state["pdf_sha256"])
    )
