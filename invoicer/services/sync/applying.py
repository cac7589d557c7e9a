"""Apply one event from another device, or keep it refused: the rule a device's pull and the
server's push share (docs/sync.md).

An event that does not continue its chain is not applied and not stored (`ChainBlocked`: the
caller keeps it aside, a device in its inbox). An event whose payload cannot be applied
(a replay refusal, a database constraint) is stored alone, so that its chain goes on and
every store holds the same events, and a `sync_rejections` row says why: one bad event
never blocks the queue.
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invoicer.store import schema
from invoicer.store.audit import SCHEMA_VERSION, chain_end, hash_of, next_seq
from invoicer.store.replay import EVENT_COLUMNS, ROW_ENTITIES, ReplayRefused, apply_event
from invoicer.store.sync_schema import SyncRejection
from invoicer.store.tenancy import shop_of

# What replay has a rule for; an event about anything else waits for a newer Invoicer.
KNOWN_ENTITIES = frozenset({*ROW_ENTITIES, "payment", "invoice"})


class Outcome(Enum):
    APPLIED = "applied"
    KNOWN = "known"  # the store already had it (same id)
    REFUSED = "refused"  # stored alone, its effect refused (sync_rejections)


class ChainBlocked(ValueError):
    """The event does not continue its device's chain here (a gap, another hash, an old
    schema): it cannot be applied now; the message says why."""


def is_known(session: Session, event_id: str) -> bool:
    found = select(schema.AuditEvent.seq).where(schema.AuditEvent.id == event_id)
    return session.execute(found).first() is not None


def understood(event: schema.AuditEvent) -> str | None:
    """Why this version cannot apply `event` yet (None: it can)."""
    if event.schema_version > SCHEMA_VERSION:
        return f"it was written by a newer Invoicer (event schema {event.schema_version})"
    if event.entity not in KNOWN_ENTITIES:
        return f"this version of Invoicer does not know {event.entity} records"
    return None


def check_chain(session: Session, event: schema.AuditEvent) -> None:
    name = f"Event {event.device_seq} of device {event.device_id}"
    if event.schema_version != SCHEMA_VERSION:
        raise ChainBlocked(f"{name} has schema version {event.schema_version}.")
    last_seq, last_hash = chain_end(session, event.device_id)
    if event.device_seq != last_seq + 1:
        raise ChainBlocked(f"{name} does not follow event {last_seq} of its device here.")
    if event.prev_hash != last_hash or hash_of(event, last_hash) != event.hash:
        raise ChainBlocked(f"{name} is not the event its device wrote (its hash differs).")


def apply_or_refuse(session: Session, event: schema.AuditEvent) -> tuple[Outcome, str | None]:
    """Apply `event` inside the caller's write transaction: (outcome, refusal reason)."""
    if is_known(session, event.id):
        return Outcome.KNOWN, None
    check_chain(session, event)
    savepoint = session.begin_nested()
    try:
        apply_event(session, event)
    except (ReplayRefused, IntegrityError) as error:
        savepoint.rollback()
        reason = str(error) if isinstance(error, ReplayRefused) else _constraint(error)
        _store_refused(session, event, reason)
        return Outcome.REFUSED, reason
    savepoint.commit()
    return Outcome.APPLIED, None


def _constraint(error: IntegrityError) -> str:
    # The driver's text names the constraint, never a value the merchant typed elsewhere.
    detail = str(getattr(error, "orig", error)).splitlines()[0][:200]
    return f"the store refused its effect ({detail})"


def _store_refused(session: Session, event: schema.AuditEvent, reason: str) -> None:
    shop = shop_of(session)
    values = {column: getattr(event, column) for column in EVENT_COLUMNS}
    values["seq"] = next_seq(session)  # never the database's sequence (audit.next_seq)
    session.execute(insert(schema.AuditEvent).values(**values, shop_id=shop))
    session.execute(
        insert(SyncRejection).values(
            shop_id=shop,
            event_id=event.id,
            device_id=event.device_id,
            device_seq=event.device_seq,
            action=event.action,
            reason=reason,
            at=event.at,
        )
    )
