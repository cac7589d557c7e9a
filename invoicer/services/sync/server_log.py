"""The server's side of sync (docs/sync.md, DESIGN.md §11): a shop's log of its devices'
events. Devices push their chains' new events (stored append-only, applied to the server's
rows, numbered in the shop's feed by its counter row) and pull the feed from a cursor.

Every rule of the protocol is here, none in the routes: a batch is checked whole before
anything is stored (whose chains, which schema), then taken event by event in one
transaction: a known event answers its place again, the same place with another hash is a
fork (the device is quarantined), a gap stops the batch (what came before it is kept) and
says where to resend from. An event whose payload cannot be applied is kept in its chain
anyway, without its effect, and recorded as refused: one bad event never blocks the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, InternalError
from sqlalchemy.orm import Session

from invoicer.domain.errors import InvoicerError, Problem, ValidationError
from invoicer.services.sync import protocol, server_feed
from invoicer.services.sync.errors import DeviceRefused, SyncRefused
from invoicer.services.sync.server_devices import DeviceRegistry, _remote_of
from invoicer.services.sync.server_views import (
    DeviceAuth,
    EventBatch,
    PushAnswer,
    PushResult,
    SyncState,
)
from invoicer.store import schema
from invoicer.store.audit import LEGACY_VERSION, chain_end, hash_of, next_seq
from invoicer.store.replay import EVENT_COLUMNS, ReplayRefused, apply_event
from invoicer.store.sync_schema import SyncDevice, SyncFeed, SyncRejection, SyncReview
from invoicer.store.tenancy import shop_of

REVOKED_MESSAGE = (
    "This device was revoked by an admin of the shop: it no longer receives the shop's "
    "changes and can no longer issue from its series until it is registered again. What it "
    "already issued stays valid and is kept."
)
QUARANTINE_MESSAGE = (
    "This device's history differs from what the server holds for it (a fork: a restored "
    "backup or a copied file?). Sync is stopped for it; ask an admin to register it again."
)
# What the database may refuse of a payload (a constraint, a guarding trigger, a bad value);
# a busy database or a lost connection is not the event's fault and fails the request.
_PAYLOAD_REFUSALS = (ReplayRefused, IntegrityError, InternalError, DataError)
_EVENTS: Table = schema.AuditEvent.__table__  # type: ignore[assignment]


class _Stop(Exception):
    """Stops a batch at an event: `error` is raised once what came before is committed."""

    def __init__(self, error: InvoicerError, quarantine: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.quarantine = quarantine


class SyncLog(DeviceRegistry):
    """The context's shop's sync log (its devices: server_devices.py)."""

    def state(self, device: DeviceAuth) -> SyncState:
        with self._read() as session:
            row = self._row(session, device)
            counter = server_feed.counter(session)
            return SyncState(
                device=_remote_of(session, row),
                epoch=counter.epoch if counter is not None else "",
                head=server_feed.head(session),
                chains=server_feed.chain_heads(session, device.chains),
                server_schema=protocol.CLIENT_SCHEMA,
                min_client_schema=protocol.MIN_CLIENT_SCHEMA,
            )

    def push(self, device: DeviceAuth, wire_events: object) -> PushAnswer:
        """Store a device's batch, in order; see the module's docstring for the rules."""
        events = _parse(wire_events)
        if device.quarantine_reason is not None:
            raise DeviceRefused(protocol.QUARANTINED, QUARANTINE_MESSAGE)
        for event in events:
            if event.device_id not in device.chains:
                raise DeviceRefused(
                    protocol.NOT_YOURS,
                    f"Event {event.device_seq} belongs to device {event.device_id}, whose "
                    "events this device may not push. Nothing of the batch was stored.",
                )
        for event in events:
            if event.schema_version > protocol.CLIENT_SCHEMA:
                raise SyncRefused(
                    protocol.SERVER_OUTDATED,
                    f"This server knows events up to schema {protocol.CLIENT_SCHEMA}, the batch "
                    f"holds one of schema {event.schema_version}: the server must be updated. "
                    "Nothing of the batch was stored.",
                )
        stop: _Stop | None = None
        results: list[PushResult] = []
        with self._write() as session:
            for event in events:
                try:
                    results.append(self._take(session, device, event))
                except _Stop as stopped:
                    stop = stopped
                    break
            values: dict[str, Any] = {"last_seen_at": self.now()}
            if stop is not None and stop.quarantine is not None:
                values |= {"quarantined_at": self.now(), "quarantine_reason": stop.quarantine}
            session.execute(
                update(SyncDevice).where(SyncDevice.device_id == device.device_id).values(values)
            )
            chains = server_feed.chain_heads(session, device.chains)
            head = server_feed.head(session)
        if stop is not None:
            raise stop.error
        revoked = REVOKED_MESSAGE if device.revoked_at is not None else None
        return PushAnswer(tuple(results), chains, head, revoked)

    def pull(self, device: DeviceAuth, cursor: str | None, limit: object) -> EventBatch:
        """The shop's events after `cursor` (None: from the start), in feed order."""
        self._check_may_pull(device)
        if type(limit) is not int or not 1 <= limit <= protocol.MAX_BATCH:
            raise ValidationError.single(
                "limit", "out_of_range", f"limit must be from 1 to {protocol.MAX_BATCH}."
            )
        with self._read() as session:
            counter = server_feed.counter(session)
            epoch = counter.epoch if counter is not None else ""
            head = counter.next_seq - 1 if counter is not None else 0
            after = 0 if cursor is None else _position(session, cursor, epoch, head)
            rows = session.execute(
                select(SyncFeed.server_seq, schema.AuditEvent)
                .join(
                    schema.AuditEvent,
                    and_(
                        schema.AuditEvent.shop_id == SyncFeed.shop_id,
                        schema.AuditEvent.id == SyncFeed.event_id,
                    ),
                )
                .where(SyncFeed.server_seq > after)
                .order_by(SyncFeed.server_seq)
                .limit(limit + 1)
            ).all()
        page = rows[:limit]
        events = tuple(protocol.event_to_wire(event, seq) for seq, event in page)
        if page:
            last_seq, last = page[-1]
            cursor = protocol.Cursor(epoch, last_seq, last.id).encode()
        return EventBatch(events, cursor, len(rows) > limit, head, epoch)

    def _check_may_pull(self, device: DeviceAuth) -> None:
        if device.quarantine_reason is not None:
            raise DeviceRefused(protocol.QUARANTINED, QUARANTINE_MESSAGE)
        if device.revoked_at is not None:
            raise DeviceRefused(protocol.REVOKED, REVOKED_MESSAGE)

    def _row(self, session: Session, device: DeviceAuth) -> SyncDevice:
        row = session.execute(
            select(SyncDevice).where(SyncDevice.device_id == device.device_id)
        ).scalar()
        if row is None:  # revoked rows stay: only a deleted shop's device gets here
            raise DeviceRefused(protocol.REVOKED, REVOKED_MESSAGE)
        return row

    def _take(self, session: Session, device: DeviceAuth, event: schema.AuditEvent) -> PushResult:
        """Store one event of a batch, or stop the batch at it."""
        known = session.execute(
            select(schema.AuditEvent.id, schema.AuditEvent.hash).where(
                schema.AuditEvent.device_id == event.device_id,
                schema.AuditEvent.device_seq == event.device_seq,
            )
        ).first()
        if known is not None:
            if known.id == event.id and known.hash == event.hash:
                seq = server_feed.server_seq_of(session, known.id)
                return PushResult(event.id, event.device_seq, "duplicate", seq, None)
            raise _fork(event, "the server holds another event at that place in its chain")
        elsewhere = session.execute(
            select(schema.AuditEvent.seq).where(schema.AuditEvent.id == event.id)
        ).first()
        if elsewhere is not None:
            raise _fork(event, "the server holds an event of that id elsewhere")
        last_seq, last_hash = chain_end(session, event.device_id)
        if event.device_seq != last_seq + 1:
            raise _Stop(
                SyncRefused(
                    protocol.GAP,
                    f"Event {event.device_seq} of chain {event.device_id} does not follow the "
                    f"server's last one ({last_seq}): resend from {last_seq + 1}.",
                    param=event.device_id,
                    resend_from=last_seq + 1,
                )
            )
        if event.prev_hash != last_hash or hash_of(event, last_hash) != event.hash:
            raise _fork(event, "its hash does not continue the chain the server holds")
        reason = self._apply(session, event)
        if device.revoked_at is not None and event.action.endswith(".issue"):
            session.execute(
                insert(SyncReview).values(
                    shop_id=shop_of(session),
                    event_id=event.id,
                    device_id=event.device_id,
                    action=event.action,
                    entity_id=event.entity_id,
                    reason="Issued by a device after its revocation (pushed later): check it.",
                    at=self.now(),
                )
            )
        seq = server_feed.server_seq_of(session, event.id)
        status = "stored" if reason is None else "refused"
        return PushResult(event.id, event.device_seq, status, seq, reason)

    def _apply(self, session: Session, event: schema.AuditEvent) -> str | None:
        """Apply and store `event`; if its payload cannot be applied, store it without its
        effect (its chain goes on) and say why."""
        if event.schema_version == LEGACY_VERSION:
            reason = "It was written before events carried complete payloads (schema 1)."
        else:
            savepoint = session.begin_nested()
            try:
                apply_event(session, event)
            except _PAYLOAD_REFUSALS as error:
                savepoint.rollback()
                reason = _reason(error)
            else:
                savepoint.commit()
                return None
        values = {column: getattr(event, column) for column in EVENT_COLUMNS}
        values["seq"] = next_seq(session)
        shop = shop_of(session)
        session.execute(insert(_EVENTS).values(shop_id=shop, **values))
        session.execute(
            insert(SyncRejection).values(
                shop_id=shop,
                event_id=event.id,
                device_id=event.device_id,
                device_seq=event.device_seq,
                action=event.action,
                reason=reason,
                at=self.now(),
            )
        )
        return reason


def _fork(event: schema.AuditEvent, why: str) -> _Stop:
    message = (
        f"Event {event.device_seq} of chain {event.device_id} differs from the server's: {why}. "
        "The device is quarantined: sync is stopped for it until an admin registers it again."
    )
    return _Stop(SyncRefused(protocol.FORK, message, param=event.device_id), quarantine=message)


def _reason(error: BaseException) -> str:
    if isinstance(error, ReplayRefused):
        return str(error)
    from invoicer.services.errors import translate

    meant = translate(error)
    if isinstance(meant, InvoicerError):
        return f"The server's database refused its change: {meant}"
    return "The server's database refused its change (a constraint of its rows)."


def _parse(wire_events: object) -> Sequence[schema.AuditEvent]:
    if not isinstance(wire_events, list):
        raise ValidationError.single("events", "invalid", "events is a list of events.")
    if len(wire_events) > protocol.MAX_BATCH:
        raise ValidationError.single(
            "events", "too_many", f"A push holds at most {protocol.MAX_BATCH} events."
        )
    events, problems = [], []
    for index, wire in enumerate(wire_events):
        try:
            events.append(protocol.event_from_wire(wire))
        except protocol.BadEvent as error:
            problems.append(Problem(f"events.{index}", "invalid_event", str(error)))
    if problems:
        raise ValidationError(problems)
    return events


def _position(session: Session, cursor: str, epoch: str, head: int) -> int:
    """The server_seq a cursor stands for, if it is one of this log's."""
    unknown = SyncRefused(
        protocol.CURSOR_UNKNOWN,
        "The server's log is not the one this cursor was read from (restored from a backup, "
        "or replaced): start again without a cursor; events already known are skipped.",
        param="cursor",
    )
    try:
        parsed = protocol.Cursor.decode(cursor)
    except ValueError:
        raise unknown from None
    if parsed.epoch != epoch or not 0 < parsed.server_seq <= head:
        raise unknown
    there = session.execute(
        select(SyncFeed.event_id).where(SyncFeed.server_seq == parsed.server_seq)
    ).scalar()
    if there != parsed.event_id:
        raise unknown
    return parsed.server_seq
