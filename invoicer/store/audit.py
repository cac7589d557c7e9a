"""The audit chains: every mutation appends an event, each hashing the one before it on its
device (DESIGN.md §5, §11): devices that work offline never need one global order to verify.

An event has a UUID (v7 where the standard library has it, Python 3.14 on; v4 before) and
its device's counter `device_seq` (1, 2, ... per device), which orders the device's chain.
Schema version 2 hashes
SHA-256(prev_hash | id | device_id | device_seq | schema_version | at | actor | action |
entity | entity_id | state); version 1, the events written before migration 0013 (device
"local"), keeps its hash without the first five. `state` is the canonical JSON of the event's
payload as stored (store/event_state.py). Changing, inserting or deleting a row in the middle
breaks its chain; `verify_chain()` finds every broken link of every device. Cutting a tail is
shown by `audit_head` (one row per device, moved by a trigger, migrations 0010 and 0013) and,
against a hand that moves that too, by the head hash the merchant keeps outside the file
(`invoicer audit head`).
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from invoicer.store import merge
from invoicer.store.schema import AuditEvent, utcnow
from invoicer.store.tenancy import shop_of

GENESIS = "0" * 64
SCHEMA_VERSION = 2  # complete payloads, hashed with id and device
LEGACY_VERSION = 1  # before migration 0013
LOCAL_DEVICE = "local"  # the device of a store opened without a service context
# Time-ordered ids where the standard library makes them; the device counter orders anyway.
_event_id: Callable[[], uuid.UUID] = getattr(uuid, "uuid7", uuid.uuid4)


def canonical(state: dict[str, Any]) -> str:
    return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    state: str,
) -> str:
    """A version 1 (legacy) event's hash."""
    payload = "|".join((prev_hash, at.isoformat(), actor, action, entity, entity_id, state))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def event_hash_v2(prev_hash: str, event: AuditEvent) -> str:
    """A version 2 event's hash: its identity and place in its device's chain included."""
    payload = "|".join(
        (
            prev_hash,
            event.id,
            event.device_id,
            str(event.device_seq),
            str(event.schema_version),
            event.at.isoformat(),
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.state,
        )
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(event: AuditEvent, prev_hash: str) -> str:
    """What `event`'s hash must be after `prev_hash`, by the rules of its schema version."""
    if event.schema_version == LEGACY_VERSION:
        return event_hash(
            prev_hash,
            event.at,
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.state,
        )
    return event_hash_v2(prev_hash, event)


def current_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in containers without a passwd entry
        return "unknown"


@dataclass(frozen=True, slots=True)
class Writer:
    """Who writes a transaction's events, from which device, by which clock (the service
    context's; `Database.write(writer)` puts it in the session's `info`)."""

    actor: str
    device_id: str
    now: Callable[[], dt.datetime]

    @classmethod
    def local(cls) -> Writer:
        """The OS user on this machine, for a store opened without a service context."""
        return _local_writer()


@functools.cache
def _local_writer() -> Writer:
    # Once per process: looking the user up costs more than appending an event.
    return Writer(current_actor(), LOCAL_DEVICE, utcnow)


WRITER_KEY = "invoicer_writer"


def stored_time(moment: dt.datetime) -> dt.datetime:
    """A moment as the store keeps it (naive UTC): hashed as it will be read back."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def writer_of(session: Session) -> Writer:
    writer = session.info.get(WRITER_KEY)
    return writer if isinstance(writer, Writer) else Writer.local()


# Built once: every write appends (SQLAlchemy reuses their compiled form).
_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
_CHAIN_END = select(_EVENTS.c.seq).order_by(_EVENTS.c.seq.desc()).limit(1)
# A device's chain within its shop (devices of two shops may share an id such as "local").
_DEVICE_END = (
    select(_EVENTS.c.device_seq, _EVENTS.c.hash)
    .where(_EVENTS.c.shop_id == bindparam("shop"), _EVENTS.c.device_id == bindparam("device"))
    .order_by(_EVENTS.c.device_seq.desc())
    .limit(1)
)
_INSERT = insert(_EVENTS)
_WRITTEN = [c.key for c in _EVENTS.columns]


def append(
    session: Session, action: str, entity: str, entity_id: str, state: dict[str, Any]
) -> AuditEvent:
    """Add an event to the chain inside the caller's (write) transaction."""
    return append_many(session, [(action, entity, entity_id, state)])[-1]


def append_many(
    session: Session, events: list[tuple[str, str, str, dict[str, Any]]]
) -> list[AuditEvent]:
    """Add events (action, entity, entity_id, state) in order inside the caller's (write)
    transaction, chained in memory on the writer's device: one read of that chain's end
    (which flushes what the session holds) for the lot, then one Core INSERT of the lot (no
    unit of work: appending is on every write's path, issuing's above all)."""
    if not events:
        return []
    session.flush()  # what the session holds goes before the events that record it
    # The file's own order is set here, not by the database: a PostgreSQL sequence skips the
    # numbers of rolled-back transactions, which `verify_chain` would report as missing.
    last = session.connection().execute(_CHAIN_END).first()
    seq = last.seq if last is not None else 0
    writer = writer_of(session)
    device_seq, prev = chain_end(session, writer.device_id)
    added = []
    for action, entity, entity_id, state in events:
        device_seq += 1
        seq += 1
        event_id = str(_event_id())
        if merge.merged(entity):  # edits two devices may both make carry a logical stamp
            state = merge.stamp(
                session, event_id, writer.device_id, device_seq, entity, entity_id, state
            )
        event = new_event(writer, device_seq, prev, action, entity, entity_id, state, event_id)
        event.seq = seq
        added.append(event)
        prev = event.hash
    _insert(session, added)
    return added


def _insert(session: Session, events: list[AuditEvent]) -> None:
    """INSERT the events as built (every attribute set on them, whatever columns the table
    has), in order. An event without a shop gets the transaction's, as the ORM's flush would
    give it (store/tenancy.py)."""
    rows = [{key: vars(event)[key] for key in _WRITTEN if key in vars(event)} for event in events]
    for row, event in zip(rows, events, strict=True):
        if row.get("shop_id") is None:
            row["shop_id"] = event.shop_id = shop_of(session)
    session.connection().execute(_INSERT, rows)


def chain_end(session: Session, device_id: str) -> tuple[int, str]:
    """The device's newest event: (its device_seq, its hash), (0, GENESIS) for none."""
    last = (
        session.connection()
        .execute(_DEVICE_END, {"shop": shop_of(session), "device": device_id})
        .first()
    )
    return (last[0], last[1]) if last is not None else (0, GENESIS)


def new_event(
    writer: Writer,
    device_seq: int,
    prev_hash: str,
    action: str,
    entity: str,
    entity_id: str,
    state: dict[str, Any],
    event_id: str | None = None,
) -> AuditEvent:
    """The next event of the writer's device chain, hashed (not yet added to a session)."""
    event = AuditEvent(
        id=event_id or str(_event_id()),
        device_id=writer.device_id,
        device_seq=device_seq,
        schema_version=SCHEMA_VERSION,
        at=stored_time(writer.now()),
        actor=writer.actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        state=canonical(state),
        prev_hash=prev_hash,
    )
    event.hash = event_hash_v2(prev_hash, event)
    return event


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int  # the event's number in this file
    problem: str
    device_id: str = LOCAL_DEVICE


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str | None = None
    breaks: tuple[ChainBreak, ...] = ()
    last_seq: int | None = None  # the newest event of the file (highest seq)
    last_hash: str = GENESIS
    # Each device's chain end: device id -> (device_seq, hash) of its newest event.
    ends: dict[str, tuple[int, str]] = field(default_factory=dict)


def device_label(device_id: str) -> str:
    """How a problem names a device's chain ("" for the local one, as before devices)."""
    return "" if device_id == LOCAL_DEVICE else f" of device {device_id}"


class _ChainWalk:
    """One device's chain as the walk has seen it so far."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        self.expected = 1
        self.prev = GENESIS
        self.saw_current_version = False

    def check(self, event: AuditEvent) -> str | None:
        """The problem with `event` as the next of this chain, if any."""
        where = device_label(self.device_id)
        problem = None
        if event.device_seq != self.expected:
            first, last = self.expected, event.device_seq - 1
            problem = (
                f"event {first}{where} is missing"
                if first == last
                else f"events {first} to {last}{where} are missing"
            )
            if last < first:  # a number used twice: the unique index was dropped
                problem = f"event {event.device_seq}{where} appears twice"
        elif event.schema_version == LEGACY_VERSION and (
            self.saw_current_version or self.device_id != LOCAL_DEVICE
        ):
            problem = "an event in the pre-0013 format was added later, outside Invoicer"
        elif event.schema_version not in (LEGACY_VERSION, SCHEMA_VERSION):
            problem = f"the event has an unknown schema version {event.schema_version}"
        elif event.prev_hash != self.prev:
            problem = "the link to the previous event is broken"
        elif hash_of(event, self.prev) != event.hash:
            problem = "the event was changed after it was written"
        # Go on from the stored values, so one bad event is one break, not all that follow.
        self.expected = event.device_seq + 1
        self.prev = event.hash
        self.saw_current_version |= event.schema_version == SCHEMA_VERSION
        return problem


def verify_chain(
    session: Session, visit: Callable[[AuditEvent], None] | None = None
) -> ChainReport:
    """Walk every device's chain once, in its own order, noting every broken link; `visit`
    sees every event, for the checks that compare events with the rows they made."""
    count = 0
    walks: dict[str, _ChainWalk] = {}
    breaks: list[ChainBreak] = []
    newest: tuple[int, str] | None = None
    query = (
        select(AuditEvent)
        .order_by(AuditEvent.device_id, AuditEvent.device_seq, AuditEvent.seq)
        .execution_options(yield_per=2000)
    )
    for event in session.execute(query).scalars():
        count += 1
        if visit is not None:
            visit(event)
        walk = walks.get(event.device_id)
        if walk is None:
            walk = walks[event.device_id] = _ChainWalk(event.device_id)
        problem = walk.check(event)
        if problem is not None:
            breaks.append(ChainBreak(event.seq, problem, event.device_id))
        if newest is None or event.seq > newest[0]:
            newest = (event.seq, event.hash)
    breaks.sort(key=lambda b: b.seq)
    first = breaks[0] if breaks else None
    return ChainReport(
        ok=not breaks,
        events=count,
        first_bad_seq=first.seq if first else None,
        problem=first.problem if first else None,
        breaks=tuple(breaks),
        last_seq=newest[0] if newest else None,
        last_hash=newest[1] if newest else GENESIS,
        ends={d: (w.expected - 1, w.prev) for d, w in walks.items()},
    )
