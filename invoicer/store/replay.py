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

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invoicer.store import mail_schema, merge, quote_schema, schema
from invoicer.store.audit import LEGACY_VERSION, SCHEMA_VERSION, chain_end, hash_of
from invoicer.store.event_state import IncompletePayload, column_values
from invoicer.store.recurring_schema import RecurringRun, RecurringTemplate
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
    # A template is edited on its one device only (docs/recurring.md): no merge per field.
    "recurring_template": RecurringTemplate,
    "recurring_run": RecurringRun,  # unique per (template, period): a period is made once
    "mail_message": mail_schema.MailMessage,
    "mail_template": mail_schema.MailTemplate,
}


def _table(model: Any) -> Table:
    return schema.Base.metadata.tables[model.__tablename__]


# Entities with rules of their own below (the merged ones are store/merge.py's).
RULED_ENTITIES = frozenset({"payment", "invoice", "quote"})


class ReplayRefused(ValueError):
    """An event that cannot be applied: the message says which and why."""


class ChainBroken(ReplayRefused):
    """The event does not continue its device's chain here (a gap, another hash, a version
    from before complete payloads): nothing of its batch can be taken."""


class PayloadRefused(ReplayRefused):
    """The event continues its chain, but its payload cannot be applied to this store."""

    def __init__(self, event: schema.AuditEvent, reason: str) -> None:
        super().__init__(f"{_name(event)}: its payload cannot be applied ({reason}).")
        self.event = event
        self.reason = reason


@dataclass
class Applied:
    """What a batch did: events new here (applied and stored), events the store had, and
    events kept in their chain whose effect was refused (with the reason)."""

    new: list[schema.AuditEvent] = field(default_factory=list)
    known: list[schema.AuditEvent] = field(default_factory=list)
    refused: list[tuple[schema.AuditEvent, str]] = field(default_factory=list)
    # Events from before complete payloads (schema 1): kept in their chain, no effect (what
    # they did comes as a baseline of complete rows: services/sync/baseline.py).
    archived: list[schema.AuditEvent] = field(default_factory=list)


def events_of(session: Session, batch: int = 1000) -> Iterator[schema.AuditEvent]:
    """A store's events in the order it appended them."""
    query = select(schema.AuditEvent).order_by(schema.AuditEvent.seq)
    yield from session.execute(query.execution_options(yield_per=batch)).scalars()


def apply_events(session: Session, events: Iterable[schema.AuditEvent]) -> int:
    """Apply `events` in order inside the caller's write transaction; how many were new.
    A payload that cannot be applied is refused (PayloadRefused) with its whole batch."""
    applied = 0
    batch: list[schema.AuditEvent] = []
    for event in events:
        batch.append(event)
        if len(batch) == 1000:
            applied += len(apply_batch(session, batch, keep_refused=False).new)
            batch = []
    if batch:
        applied += len(apply_batch(session, batch, keep_refused=False).new)
    return applied


def apply_event(session: Session, event: schema.AuditEvent) -> bool:
    """Apply one event and store it; False if the store already has it."""
    return bool(apply_batch(session, [event], keep_refused=False).new)


def apply_batch(
    session: Session, events: Sequence[schema.AuditEvent], *, keep_refused: bool = True
) -> Applied:
    """Apply a batch in order inside the caller's write transaction, as fast as it goes.

    Events the store has (same id) are skipped. Every other event must continue its device's
    chain (ChainBroken otherwise, nothing applied). The batch is applied at once, each
    invoice only in its newest state of the batch (its earlier events are stored as they
    are: a draft's lines added one by one end in the state its last event carries). If that
    fails, the events are applied one by one: with `keep_refused` one whose payload cannot
    be applied is stored in its chain all the same (so the ones after it can follow) and
    listed as refused; without, it is raised (PayloadRefused).
    """
    result = Applied()
    fresh: list[schema.AuditEvent] = []
    known = _known_ids(session, [event.id for event in events])
    heads: dict[str, tuple[int, str]] = {}
    for event in events:
        if event.id in known:
            result.known.append(event)
            continue
        known.add(event.id)
        head = heads.get(event.device_id)
        if event.schema_version == LEGACY_VERSION and keep_refused:
            heads[event.device_id] = _continue_chain(session, event, head, legacy=True)
            result.archived.append(event)
        else:
            heads[event.device_id] = _continue_chain(session, event, head)
        fresh.append(event)
    if not fresh:
        return result
    archived = {event.id for event in result.archived}
    if archived:  # stored as they came, in their place; the rest applied around them
        _store_around(session, fresh, archived, result)
        return result
    try:
        with session.begin_nested():
            _apply_effects(session, fresh, coalesce=True)
            _store(session, fresh)
        result.new = fresh
        return result
    except (ReplayRefused, IntegrityError):
        pass  # one of them: find it, one by one
    for event in fresh:
        try:
            with session.begin_nested():
                _apply_effects(session, [event], coalesce=False)
        except (PayloadRefused, IntegrityError) as error:
            reason = error.reason if isinstance(error, PayloadRefused) else _db_reason(error)
            if not keep_refused:
                raise (
                    error if isinstance(error, PayloadRefused) else PayloadRefused(event, reason)
                ) from None
            result.refused.append((event, reason))
        else:
            result.new.append(event)
        _store(session, [event])
    return result


def _name(event: schema.AuditEvent) -> str:
    return f"event {event.device_seq} of device {event.device_id} ({event.action})"


def _db_reason(error: IntegrityError) -> str:
    message = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return f"the database refused it: {message}"


def _known_ids(session: Session, ids: list[str]) -> set[str]:
    found: set[str] = set()
    connection = session.connection()
    for start in range(0, len(ids), 500):  # under SQLite's variable limit
        found.update(
            connection.execute(
                _KNOWN, {"shop": shop_of(session), "ids": ids[start : start + 500]}
            ).scalars()
        )
    return found


_EVENTS = _table(schema.AuditEvent)
# The shop leads the unique key: without it, a scan.
_KNOWN = select(_EVENTS.c.id).where(
    _EVENTS.c.shop_id == bindparam("shop"), _EVENTS.c.id.in_(bindparam("ids", expanding=True))
)
_LAST_SEQ = select(_EVENTS.c.seq).order_by(_EVENTS.c.seq.desc()).limit(1)


def _store_around(
    session: Session, fresh: list[schema.AuditEvent], archived: set[str], result: Applied
) -> None:
    segment: list[schema.AuditEvent] = []
    for event in [*fresh, None]:
        if event is not None and event.id not in archived:
            segment.append(event)
            continue
        if segment:
            done = apply_batch(session, segment, keep_refused=True)
            result.new += done.new
            result.refused += done.refused
            segment = []
        if event is not None:
            _store(session, [event])


def _continue_chain(
    session: Session,
    event: schema.AuditEvent,
    head: tuple[int, str] | None,
    *,
    legacy: bool = False,
) -> tuple[int, str]:
    """The chain's new head once `event` is added, or ChainBroken."""
    name = _name(event)
    if event.schema_version != SCHEMA_VERSION and not legacy:
        raise ChainBroken(
            f"{name} was written with events of schema version {event.schema_version}; "
            f"this store reads version {SCHEMA_VERSION}, so it cannot be replayed."
        )
    last_seq, last_hash = head if head is not None else chain_end(session, event.device_id)
    if event.device_seq != last_seq + 1:
        raise ChainBroken(f"{name} does not follow event {last_seq} of its device.")
    if event.prev_hash != last_hash or hash_of(event, last_hash) != event.hash:
        raise ChainBroken(f"{name} is not the event its device wrote (its hash differs).")
    return event.device_seq, event.hash


_ROW_STATES_SKIPPED = frozenset({"invoice.delete_draft", "invoice.pdf"})
_QUOTES = _table(quote_schema.Quote)


def _apply_effects(session: Session, events: list[schema.AuditEvent], *, coalesce: bool) -> None:
    newest: dict[str, int] = {}
    if coalesce:
        for index, event in enumerate(events):
            if event.entity == "invoice" and event.action not in _ROW_STATES_SKIPPED:
                newest[event.entity_id] = index
    for index, event in enumerate(events):
        superseded = newest.get(event.entity_id, index) != index
        if superseded and event.entity == "invoice" and event.action not in _ROW_STATES_SKIPPED:
            continue  # a later event of the batch carries this invoice's newer state
        try:
            state = json.loads(event.state)
            row = state.get("row", state)
            if row.get("id") != event.entity_id:
                raise ValueError(
                    f"it is about {row.get('id')!r}, the event about {event.entity_id!r}"
                )
            _handler(event)(session, state)
        except (IncompletePayload, AttributeError, KeyError, TypeError, ValueError) as error:
            raise PayloadRefused(event, str(error)) from None


def _store(session: Session, events: list[schema.AuditEvent]) -> None:
    """Insert the events as they came, numbered on in this file's own order (`seq`, as
    audit.append_many does: a PostgreSQL sequence knows nothing of explicit numbers)."""
    connection = session.connection()
    last = connection.execute(_LAST_SEQ).scalar() or 0
    rows = []
    for offset, event in enumerate(events, start=1):
        values = {column: getattr(event, column) for column in EVENT_COLUMNS}
        rows.append({**values, "seq": last + offset, "shop_id": shop_of(session)})
    connection.execute(_EVENTS.insert(), rows)


def _handler(event: schema.AuditEvent) -> Callable[[Session, dict[str, Any]], None]:
    if merge.merged(event.entity):  # edits of several devices: merged per field
        return lambda session, state: merge.apply(session, event, state)
    if event.entity in ROW_ENTITIES:
        model = ROW_ENTITIES[event.entity]
        return lambda session, state: _upsert(session, model, column_values(model, state["row"]))
    if event.entity == "payment":
        return _payment
    if event.entity == "quote":
        return _delete_quote if event.action == "quote.delete_draft" else _quote
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


# Statements built once and given their values as parameters: building a statement with
# .values() per row costs more than running it (a replay runs hundreds of thousands).
@functools.cache
def _by_key(table: Table) -> Any:
    keys = list(table.primary_key.columns)
    return and_(*(column == bindparam(f"_key_{column.key}") for column in keys))


@functools.cache
def _exists(table: Table) -> Any:
    return select(next(iter(table.primary_key.columns))).where(_by_key(table))


@functools.cache
def _update(table: Table) -> Any:
    return table.update().where(_by_key(table))


def _upsert(session: Session, model: Any, values: dict[str, Any]) -> None:
    table = _table(model)
    values = _scoped(session, table, values)
    connection = session.connection()
    key = {f"_key_{column.key}": values[column.key] for column in table.primary_key.columns}
    if connection.execute(_exists(table), key).first() is None:
        connection.execute(table.insert(), values)
    else:
        changed = {name: value for name, value in values.items() if name != "shop_id"}
        connection.execute(_update(table), {**changed, **key})


def _payment(session: Session, state: dict[str, Any]) -> None:
    # Append-only: a trigger adds it to its invoice's paid amount.
    table = _table(schema.Payment)
    values = _scoped(session, table, column_values(schema.Payment, state["row"]))
    session.connection().execute(table.insert(), values)


def _invoice(session: Session, state: dict[str, Any]) -> None:
    """A draft as it now is, or a document being issued: written as a draft with its lines
    and VAT groups, then issued (the triggers freeze it from there). Every statement names
    the shop: an id alone could reach another shop's row on a server."""
    shop = shop_of(session)
    values = column_values(schema.Invoice, state["row"])
    issued_at = values.pop("issued_at")
    invoice_id = values["id"]
    connection = session.connection()
    draft = {**values, "issued_at": None, "shop_id": shop}
    key = {"_key_shop_id": shop, "_key_id": invoice_id}
    new = connection.execute(_exists(_INVOICES), key).first() is None
    if new:
        connection.execute(_INVOICES.insert(), draft)
    else:
        connection.execute(_update(_INVOICES), {**values, "issued_at": None, **key})
    for model, rows in (
        (schema.InvoiceLine, state["lines"]),
        (schema.VatGroupRow, state["vat_groups"]),
    ):
        table = _table(model)
        children = [{**column_values(model, row), "shop_id": shop} for row in rows]
        if any(child["invoice_id"] != invoice_id for child in children):
            raise ValueError(f"a {table.name} row of another invoice")
        existing: set[str] = set()
        if not new:
            scope = {"shop": shop, "invoice": invoice_id}
            existing = set(connection.execute(_children(table), scope).scalars())
            gone = existing - {child["id"] for child in children}
            if gone:
                connection.execute(_delete_children(table), {**scope, "ids": sorted(gone)})
        added = [child for child in children if child["id"] not in existing]
        for child in children:
            if child["id"] in existing:
                changed = {name: value for name, value in child.items() if name != "shop_id"}
                connection.execute(
                    _update(table), {**changed, "_key_shop_id": shop, "_key_id": child["id"]}
                )
        if added:
            connection.execute(table.insert(), added)
    if issued_at is not None:
        _take_number(session, values["series"], values["year"], values["seq"])
        connection.execute(_ISSUE, {"shop": shop, "invoice": invoice_id, "issued_at": issued_at})


@functools.cache
def _children(table: Table) -> Any:
    return select(table.c.id).where(
        table.c.shop_id == bindparam("shop"), table.c.invoice_id == bindparam("invoice")
    )


@functools.cache
def _delete_children(table: Table) -> Any:
    return delete(table).where(
        table.c.shop_id == bindparam("shop"),
        table.c.invoice_id == bindparam("invoice"),
        table.c.id.in_(bindparam("ids", expanding=True)),
    )


_INVOICES = _table(schema.Invoice)
_ISSUE = (
    _INVOICES.update()
    .where(_INVOICES.c.shop_id == bindparam("shop"), _INVOICES.c.id == bindparam("invoice"))
    .values(issued_at=bindparam("issued_at"))
)
_SERIES = _table(schema.NumberSeries)
_SERIES_KEY = and_(
    _SERIES.c.shop_id == bindparam("shop"),
    _SERIES.c.series == bindparam("s"),
    _SERIES.c.year == bindparam("y"),
)
_NEXT_NUMBER = (
    _SERIES.update()
    .where(_SERIES_KEY, _SERIES.c.next_seq == bindparam("seq"))
    .values(next_seq=_SERIES.c.next_seq + 1)
)
_COUNTER = select(_SERIES.c.next_seq).where(_SERIES_KEY)


def _take_number(session: Session, series: str, year: int, seq: int) -> None:
    """Move the series counter on by one, as issuing did: it must be at `seq`."""
    params = {"shop": shop_of(session), "s": series, "y": year}
    connection = session.connection()
    if connection.execute(_NEXT_NUMBER, {**params, "seq": seq}).rowcount == 1:
        return
    next_seq = connection.execute(_COUNTER, params).scalar()
    if next_seq is None and seq == 1:  # the series' first number
        connection.execute(
            _SERIES.insert(),
            {"shop_id": params["shop"], "series": series, "year": year, "next_seq": 2},
        )
        return
    raise ValueError(f"number {seq} of {series} {year} is not the next one ({next_seq or 1})")


def _delete_draft(session: Session, state: dict[str, Any]) -> None:
    shop, invoice_id = shop_of(session), state["id"]
    for model in (schema.InvoiceLine, schema.VatGroupRow):
        table = _table(model)
        session.execute(
            delete(table).where(table.c.shop_id == shop, table.c.invoice_id == invoice_id)
        )
    session.execute(
        delete(_INVOICES).where(
            _INVOICES.c.shop_id == shop,
            _INVOICES.c.id == invoice_id,
            _INVOICES.c.issued_at.is_(None),
        )
    )


def _pdf(session: Session, state: dict[str, Any]) -> None:
    session.execute(
        update(_INVOICES)
        .where(_INVOICES.c.shop_id == shop_of(session), _INVOICES.c.id == state["id"])
        .values(pdf_sha256=state["pdf_sha256"])
    )


def _quote(session: Session, state: dict[str, Any]) -> None:
    """A quote as it now is (one row, its lines and VAT on it); the event that issues it
    takes its number of the quote series, as issuing did."""
    values = column_values(quote_schema.Quote, state["row"])
    shop = shop_of(session)
    key = {"_key_shop_id": shop, "_key_id": values["id"]}
    connection = session.connection()
    before = connection.execute(
        select(_QUOTES.c.issued_at).where(_QUOTES.c.shop_id == shop, _QUOTES.c.id == values["id"])
    ).first()
    if before is not None and before[0] is not None:
        frozen = ("number", "lines", "vat_groups", "net_minor", "vat_minor", "gross_minor")
        current = connection.execute(
            select(*(_QUOTES.c[name] for name in frozen)).where(
                _QUOTES.c.shop_id == shop, _QUOTES.c.id == values["id"]
            )
        ).one()
        if tuple(current) != tuple(values[name] for name in frozen):
            raise ValueError(f"quote {values['number']} is issued and cannot change")
    if values["issued_at"] is not None and (before is None or before[0] is None):
        _take_number(session, values["series"], values["year"], values["seq"])
    if before is None:
        connection.execute(_QUOTES.insert(), {**values, "shop_id": shop})
    else:
        connection.execute(_update(_QUOTES), {**values, **key})


def _delete_quote(session: Session, state: dict[str, Any]) -> None:
    session.execute(
        delete(_QUOTES).where(
            _QUOTES.c.shop_id == shop_of(session),
            _QUOTES.c.id == state["id"],
            _QUOTES.c.issued_at.is_(None),
        )
    )
