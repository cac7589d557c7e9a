"""The audit chain: every mutation appends an event, each hashing the one before it.

hash = SHA-256(prev_hash | at | actor | action | entity | entity_id | state), with `state` the
canonical JSON of the new state as stored. Changing, inserting or deleting a row in the
middle breaks the chain; `verify_chain()` finds every broken link. Cutting the tail is shown
by `audit_head` (moved by a trigger, migration 0010) and, against a hand that moves that too,
by the head hash the merchant keeps outside the file (`invoicer audit head`).
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from invoicer.store.schema import AuditEvent, utcnow
from invoicer.store.tenancy import shop_of

GENESIS = "0" * 64


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
    payload = "|".join((prev_hash, at.isoformat(), actor, action, entity, entity_id, state))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    return Writer(current_actor(), "local", utcnow)


WRITER_KEY = "invoicer_writer"


def writer_of(session: Session) -> Writer:
    writer = session.info.get(WRITER_KEY)
    return writer if isinstance(writer, Writer) else Writer.local()


# Built once: every write appends (SQLAlchemy reuses their compiled form).
_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
_CHAIN_END = select(_EVENTS.c.seq, _EVENTS.c.hash).order_by(_EVENTS.c.seq.desc()).limit(1)
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
    transaction, chained in memory: one read of the chain's end for the lot (which flushes
    what the session holds), then one Core INSERT of the lot (no unit of work: appending is
    on every write's path, issuing's above all)."""
    session.flush()  # what the session holds goes before the events that record it
    # The number is set here, not by the database: a PostgreSQL sequence skips the numbers of
    # rolled-back transactions, which `verify_chain` would report as missing events.
    last = session.connection().execute(_CHAIN_END).first()
    seq, prev = (last.seq, last.hash) if last is not None else (0, GENESIS)
    writer = writer_of(session)
    actor = writer.actor
    added = []
    for action, entity, entity_id, state in events:
        at = writer.now()
        text = canonical(state)
        seq += 1
        event = AuditEvent(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            state=text,
            prev_hash=prev,
            hash=event_hash(prev, at, actor, action, entity, entity_id, text),
        )
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


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    problem: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str | None = None
    breaks: tuple[ChainBreak, ...] = ()
    last_seq: int | None = None
    last_hash: str = GENESIS


def verify_chain(
    session: Session, visit: Callable[[AuditEvent], None] | None = None
) -> ChainReport:
    """Walk the whole chain once, noting every broken link (the walk goes on from each
    event's stored hash, so one removed or changed event is one break, not all that follow);
    `visit` sees every event, for the checks that compare events with the rows they made."""
    prev = GENESIS
    count = 0
    expected_seq = None
    breaks: list[ChainBreak] = []
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    for event in session.execute(query).scalars():
        count += 1
        if visit is not None:
            visit(event)
        if expected_seq is not None and event.seq != expected_seq:
            missing = (
                f"event {expected_seq} is missing"
                if event.seq == expected_seq + 1
                else f"events {expected_seq} to {event.seq - 1} are missing"
            )
            breaks.append(ChainBreak(event.seq, missing))
        elif event.prev_hash != prev:
            breaks.append(ChainBreak(event.seq, "the link to the previous event is broken"))
        else:
            recomputed = event_hash(
                prev,
                event.at,
                event.actor,
                event.action,
                event.entity,
                event.entity_id,
                event.state,
            )
            if recomputed != event.hash:
                breaks.append(ChainBreak(event.seq, "the event was changed after it was written"))
        expected_seq = event.seq + 1
        prev = event.hash
    first = breaks[0] if breaks else None
    return ChainReport(
        ok=not breaks,
        events=count,
        first_bad_seq=first.seq if first else None,
        problem=first.problem if first else None,
        breaks=tuple(breaks),
        last_seq=expected_seq - 1 if expected_seq is not None else None,
        last_hash=prev,
    )
