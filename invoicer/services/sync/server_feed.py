"""The server's per-shop feed inside a transaction (sync_schema.py, migration 0015): starting
it (the counter row and the events the shop already had, in their order), its head, how far
each chain has come, and an event's place in it."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from invoicer.store import schema
from invoicer.store.sync_schema import SyncCounter, SyncFeed
from invoicer.store.tenancy import shop_of

_BACKFILL = text(
    "INSERT INTO sync_feed (shop_id, server_seq, event_id) "
    "SELECT shop_id, ROW_NUMBER() OVER (ORDER BY seq), id FROM audit_events "
    "WHERE shop_id = :shop"
)


def counter(session: Session) -> SyncCounter | None:
    return session.execute(select(SyncCounter)).scalar()


def start(session: Session) -> SyncCounter:
    """The shop's counter row, made on first use: the events the shop already holds enter
    the feed in the order they were stored, and every later one by the trigger."""
    found = counter(session)
    if found is not None:
        return found
    shop = shop_of(session)
    session.execute(_BACKFILL, {"shop": shop})
    taken = session.execute(
        text("SELECT COUNT(*) FROM sync_feed WHERE shop_id = :shop"), {"shop": shop}
    ).scalar_one()
    row = SyncCounter(shop_id=shop, next_seq=int(taken) + 1, epoch=secrets.token_hex(8))
    session.add(row)
    session.flush()
    return row


def head(session: Session) -> int:
    found = counter(session)
    return found.next_seq - 1 if found is not None else 0


def chain_heads(session: Session, chains: Iterable[str]) -> dict[str, int]:
    """Each chain's highest device_seq the server holds (0: none yet)."""
    wanted = list(chains)
    rows = session.execute(
        select(schema.AuditEvent.device_id, func.max(schema.AuditEvent.device_seq))
        .where(schema.AuditEvent.device_id.in_(wanted))
        .group_by(schema.AuditEvent.device_id)
    ).all()
    found = {device: int(seq) for device, seq in rows}
    return {chain: found.get(chain, 0) for chain in wanted}


def server_seqs_of(session: Session, event_ids: list[str]) -> dict[str, int]:
    """The places of events in the feed, by id."""
    found: dict[str, int] = {}
    for start in range(0, len(event_ids), 500):  # under SQLite's variable limit
        rows = session.execute(
            select(SyncFeed.event_id, SyncFeed.server_seq).where(
                SyncFeed.event_id.in_(event_ids[start : start + 500])
            )
        )
        found.update((event_id, int(seq)) for event_id, seq in rows)
    return found
