"""The server's side of sync (docs/sync.md, DESIGN.md §11): a shop's log of its devices'
events. Devices push their chains' new events (stored append-only, applied to the server's
rows, numbered in the shop's feed by its counter row) and pull the feed from a cursor.

Every rule of the protocol is here, none in the routes: a batch is checked whole before
anything is stored (whose chains, which schema), then checked event by event against the
chains in one transaction: a known event answers its place again, the same place with
another hash is a fork (the device is quarantined), a gap stops the batch (what came before
it is kept) and says where to resend from. The new events are applied together
(replay.apply_batch); one whose payload cannot be applied is kept in its chain anyway,
without its effect, and recorded as refused: one bad event never blocks the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.orm import Session

from invoicer.domain.errors import InvoicerError, Problem, ValidationError
from invoicer.services.sync import protocol, server_feed
from invoicer.services.sync.applying import record_refusal
from invoicer.services.sync.errors import DeviceRefused, SyncRefused
from invoicer.services.sync.server_devices import DeviceRegistry, remote_of
from invoicer.services.sync.server_trust import Overstep
from invoicer.services.sync.server_views import (
    DeviceAuth,
    EventBatch,
    PushAnswer,
    PushResult,
    SyncState,
)
from invoicer.store import schema
from invoicer.store.audit import LEGACY_VERSION, chain_end, hash_of
from invoicer.store.replay import EVENT_COLUMNS, apply_batch
from invoicer.store.sync_schema import SyncDevice, SyncFeed, SyncReview
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
LEGACY_REASON = (
    "Kept as history: it was written before events carried complete payloads (schema 1); "
    "the rows it left come whole in the device's baseline."
)
REVIEW_REASON = "Issued by a device after its revocation (pushed later): check it."
_EVENTS: Table = schema.AuditEvent.__table__  # type: ignore[assignment]
_LAST_SEQ = select(_EVENTS.c.seq).order_by(_EVENTS.c.seq.desc()).limit(1)


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
                device=remote_of(session, row),
                epoch=counter.epoch if counter is not None else "",
                head=server_feed.head(session),
                chains=server_feed.chain_heads(session, device.chains),
                server_schema=protocol.CLIENT_SCHEMA,
                min_client_schema=protocol.MIN_CLIENT_SCHEMA,
            )

    def push(self, device: DeviceAuth, wire_events: object) -> PushAnswer:
        """Store a device's batch, in order; see the module's docstring for the rules."""
        if device.quarantine_reason is not None:
            raise DeviceRefused(protocol.QUARANTINED, QUARANTINE_MESSAGE)
        events = _parse(wire_events)
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
        with self._write() as session:
            batch = _Batch(session)
            for event in events:
                try:
                    batch.check(event)
                except _Stop as stopped:
                    batch.stop = stopped
                    break
            results = self._store(session, device, batch)
            values: dict[str, Any] = {"last_seen_at": self.now()}
            if batch.stop is not None and batch.stop.quarantine is not None:
                values |= {"quarantined_at": self.now(), "quarantine_reason": batch.stop.quarantine}
            session.execute(
                update(SyncDevice).where(SyncDevice.device_id == device.device_id).values(values)
            )
            chains = server_feed.chain_heads(session, device.chains)
            head = server_feed.head(session)
        if batch.stop is not None:
            raise batch.stop.error
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

    def _store(self, session: Session, device: DeviceAuth, batch: _Batch) -> list[PushResult]:
        """Apply and store the batch's new events (one whose payload cannot be applied is
        kept in its chain without its effect, and recorded as refused); every event's
        place in the feed."""
        refused: dict[str, str] = {}
        archived: set[str] = set()
        segment: list[schema.AuditEvent] = []
        overstep = Overstep(
            session, device.device_id, device.chains, protocol.HISTORY_CHAIN in device.chains
        )
        for event in [*batch.fresh, None]:
            why = None
            if event is not None:
                why = None if event.schema_version == LEGACY_VERSION else overstep.reason(event)
                if why is None:
                    segment.append(event)
                    continue
            if segment:
                applied = apply_batch(session, segment, keep_refused=True)
                refused.update((e.id, _reason(why)) for e, why in applied.refused)
                archived.update(e.id for e in applied.archived)  # kept as history, no effect
                segment = []
            if event is not None and why is not None:  # kept as it came, without its effect
                _insert_event(session, event)
                refused[event.id] = why
        now = self.now()
        shop = shop_of(session)
        for event in batch.fresh:
            if event.id in refused:
                record_refusal(session, event, refused[event.id], now)
            if device.revoked_at is not None and event.action.endswith(".issue"):
                session.execute(
                    insert(SyncReview).values(
                        shop_id=shop,
                        event_id=event.id,
                        device_id=event.device_id,
                        action=event.action,
                        entity_id=event.entity_id,
                        reason=REVIEW_REASON,
                        at=now,
                    )
                )
        places = server_feed.server_seqs_of(session, [event.id for event, _ in batch.taken])
        return [
            PushResult(
                event.id,
                event.device_seq,
                status if event.id not in refused else "refused",
                places.get(event.id),
                refused.get(event.id) or (LEGACY_REASON if event.id in archived else None),
            )
            for event, status in batch.taken
        ]


class _Batch:
    """A push's events checked in order against the chains as the server holds them and
    as the batch continues them: known ones (duplicates), new ones, and where it stops."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.heads: dict[str, tuple[int, str]] = {}
        self.placed: dict[tuple[str, int], schema.AuditEvent] = {}  # new in this batch
        self.taken: list[tuple[schema.AuditEvent, str]] = []  # (event, stored | duplicate)
        self.fresh: list[schema.AuditEvent] = []
        self.fresh_ids: set[str] = set()
        self.stop: _Stop | None = None

    def check(self, event: schema.AuditEvent) -> None:
        place = (event.device_id, event.device_seq)
        held = self.placed.get(place) or self._held(event)
        if held is not None:
            if held.id == event.id and held.hash == event.hash:
                self.taken.append((event, "duplicate"))
                return
            raise _fork(event, "the server holds another event at that place in its chain")
        if event.id in self.fresh_ids or self._id_known(event.id):
            raise _fork(event, "the server holds an event of that id elsewhere")
        last_seq, last_hash = self.heads.get(event.device_id) or chain_end(
            self.session, event.device_id
        )
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
        self.heads[event.device_id] = (event.device_seq, event.hash)
        self.placed[place] = event
        self.fresh.append(event)
        self.fresh_ids.add(event.id)
        self.taken.append((event, "stored"))

    def _held(self, event: schema.AuditEvent) -> Any:
        return self.session.execute(
            select(schema.AuditEvent.id, schema.AuditEvent.hash).where(
                schema.AuditEvent.device_id == event.device_id,
                schema.AuditEvent.device_seq == event.device_seq,
            )
        ).first()

    def _id_known(self, event_id: str) -> bool:
        found = self.session.execute(
            select(schema.AuditEvent.seq).where(schema.AuditEvent.id == event_id)
        ).first()
        return found is not None


def _insert_event(session: Session, event: schema.AuditEvent) -> None:
    """Store an event as it came, numbered on in the file's own order (as replay does)."""
    last = session.connection().execute(_LAST_SEQ).scalar() or 0
    values = {column: getattr(event, column) for column in EVENT_COLUMNS}
    session.execute(insert(_EVENTS).values(shop_id=shop_of(session), seq=last + 1, **values))


def _fork(event: schema.AuditEvent, why: str) -> _Stop:
    message = (
        f"Event {event.device_seq} of chain {event.device_id} differs from the server's: {why}. "
        "The device is quarantined: sync is stopped for it until an admin registers it again."
    )
    return _Stop(SyncRefused(protocol.FORK, message, param=event.device_id), quarantine=message)


def _reason(why: str) -> str:
    return f"Its change could not be applied on the server: {why}."


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
