"""Apply events from other devices, or keep them refused, on a device (docs/sync.md): the
store's replay.apply_batch (which the server's push uses too) plus the device's bookkeeping.

An event that does not continue its chain is not applied and not stored (`ChainBlocked`: the
caller keeps it aside, a device in its inbox). An event whose payload cannot be applied
(a replay refusal, a database constraint) is stored alone, so that its chain goes on and
every store holds the same events, and a `sync_rejections` row says why: one bad event
never blocks the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from invoicer.store import schema
from invoicer.store.audit import SCHEMA_VERSION, stored_time, writer_of
from invoicer.store.replay import ROW_ENTITIES, RULED_ENTITIES, Applied, ChainBroken, apply_batch
from invoicer.store.sync_schema import SyncRejection
from invoicer.store.tenancy import shop_of

# What replay has a rule for; an event about anything else waits for a newer Invoicer.
KNOWN_ENTITIES = frozenset({*ROW_ENTITIES, *RULED_ENTITIES})


class Outcome(Enum):
    APPLIED = "applied"
    KNOWN = "known"  # the store already had it (same id)
    REFUSED = "refused"  # stored alone, its effect refused (sync_rejections)


class ChainBlocked(ValueError):
    """The event does not continue its device's chain here (a gap, another hash, an old
    schema): it cannot be applied now; the message says why."""


def is_known(session: Session, event_id: str) -> bool:
    found = select(schema.AuditEvent.seq).where(  # the shop leads the key: else a scan
        schema.AuditEvent.shop_id == shop_of(session), schema.AuditEvent.id == event_id
    )
    return session.execute(found).first() is not None


def understood(event: schema.AuditEvent) -> str | None:
    """Why this version cannot apply `event` yet (None: it can)."""
    if event.schema_version > SCHEMA_VERSION:
        return f"it was written by a newer Invoicer (event schema {event.schema_version})"
    if event.entity not in KNOWN_ENTITIES:
        return f"this version of Invoicer does not know {event.entity} records"
    return None


def apply_all(session: Session, events: Sequence[schema.AuditEvent]) -> Applied | None:
    """Apply a batch at once (replay.apply_batch, refusals kept and recorded); None when an
    event of it does not continue its chain (nothing applied: go one by one)."""
    try:
        with session.begin_nested():
            applied = apply_batch(session, events, keep_refused=True)
    except ChainBroken:
        return None
    record_refusals(session, applied)
    return applied


def apply_or_refuse(session: Session, event: schema.AuditEvent) -> tuple[Outcome, str | None]:
    """Apply one event inside the caller's write transaction: (outcome, refusal reason);
    ChainBlocked when it does not continue its chain."""
    try:
        with session.begin_nested():
            applied = apply_batch(session, [event], keep_refused=True)
    except ChainBroken as error:
        raise ChainBlocked(str(error)) from None
    record_refusals(session, applied)
    if applied.refused:
        return Outcome.REFUSED, applied.refused[0][1]
    return (Outcome.APPLIED, None) if applied.new else (Outcome.KNOWN, None)


def record_refusals(session: Session, applied: Applied) -> None:
    """A sync_rejections row for each event stored whose effect was refused (shown), dated
    by the transaction's clock (the service context's)."""
    at = stored_time(writer_of(session).now())
    for event, reason in applied.refused:
        record_refusal(session, event, reason, at)


def record_refusal(
    session: Session, event: schema.AuditEvent, reason: str, at: dt.datetime
) -> None:
    """Note that `event` is kept in its chain without its effect, why, and when it was refused
    (the server's and a device's one record of it)."""
    session.execute(
        insert(SyncRejection).values(
            shop_id=shop_of(session),
            event_id=event.id,
            device_id=event.device_id,
            device_seq=event.device_seq,
            action=event.action,
            reason=reason,
            at=at,
        )
    )
