"""Pull: the other devices' events from the server's feed, from this store's cursor, each batch
applied and the new cursor stored in one write transaction (docs/sync.md).

Events already here are skipped (this device's own, a batch delivered again). An event this
version cannot apply (a newer schema, an unknown record), or that does not continue its
chain here, goes to `sync_inbox` with the later events of its device's chain (they cannot
come before it): kept, never dropped, tried again before each pull. A payload the store
refuses is kept refused (applying.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from invoicer.services.sync import protocol
from invoicer.services.sync.applying import (
    ChainBlocked,
    Outcome,
    apply_all,
    apply_or_refuse,
    understood,
)
from invoicer.store import schema
from invoicer.store.sync_schema import SyncInbox, SyncLink
from invoicer.store.tenancy import shop_of

if TYPE_CHECKING:
    from invoicer.integrations.sync_http import SyncHttp
    from invoicer.services.app import Services

Progress = Callable[[str, int, int | None], None]


@dataclass
class PullResult:
    pulled: int = 0
    applied: int = 0
    refused: int = 0


def _parse(wire: Any) -> tuple[schema.AuditEvent | None, str | None]:
    try:
        return protocol.event_from_wire(wire), None
    except protocol.BadEvent as error:
        return None, f"The server sent an event this version cannot read: {error}"


def _waits(event: schema.AuditEvent, blocked: set[str]) -> str | None:
    """Why `event` cannot be applied before an update or an earlier event (None: it can)."""
    if event.device_id in blocked:
        return "An earlier event of its device waits in the inbox."
    why = understood(event)
    return None if why is None else f"Not applied yet: {why}."


def _take(session: Session, wire: Any, blocked: set[str], result: PullResult) -> str | None:
    """Apply one pulled event; why it waits in the inbox instead (None: it does not)."""
    event, bad = _parse(wire)
    if event is None:
        return bad
    why = _waits(event, blocked)
    if why is None:
        try:
            outcome, _reason = apply_or_refuse(session, event)
        except ChainBlocked as error:
            why = f"Not applied yet: {error}"
        else:
            result.applied += outcome is Outcome.APPLIED
            result.refused += outcome is Outcome.REFUSED
            return None
    blocked.add(event.device_id)
    return why


def _take_page(session: Session, wires: list[Any], result: PullResult) -> None:
    """A page of the feed: at once when every event can go (the fast way), else one by one;
    what cannot go yet waits in the inbox."""
    blocked = _blocked_devices(session)
    ready: list[schema.AuditEvent] = []
    for wire in wires:
        event, bad = _parse(wire)
        why = bad if event is None else _waits(event, blocked)
        if why is not None or event is None:
            if event is not None:
                blocked.add(event.device_id)
            _keep(session, wire, why or "")
            continue
        ready.append(event)
    if not ready:
        return
    applied = apply_all(session, ready)
    if applied is not None:
        result.applied += len(applied.new)
        result.refused += len(applied.refused)
        return
    blocked = _blocked_devices(session)  # one of them breaks its chain: find it
    for event in ready:
        wire = protocol.event_to_wire(event)
        reason = _take(session, wire, blocked, result)
        if reason is not None:
            _keep(session, next(w for w in wires if w.get("id") == event.id), reason)


def retry_inbox(svc: Services, result: PullResult) -> None:
    """Apply what waits in the inbox and can be applied now (after an update, or once the
    event before it arrived), in feed order."""
    with svc.write() as session:
        rows = session.execute(select(SyncInbox).order_by(SyncInbox.server_seq)).scalars().all()
        blocked: set[str] = set()
        for row in rows:
            wire = json.loads(row.body)
            reason = _take(session, wire, blocked, result)
            if reason is None:
                session.delete(row)
            else:
                row.reason = reason
                if isinstance(wire, dict):
                    blocked.add(str(wire.get("device_id")))


def _blocked_devices(session: Session) -> set[str]:
    bodies = session.execute(select(SyncInbox.body)).scalars()
    return {str(json.loads(body).get("device_id")) for body in bodies}


def pull(
    svc: Services,
    http: SyncHttp,
    progress: Progress | None,
    total: int | None,
    result: PullResult,
) -> None:
    """Pull to the feed's end, counting into `result` (kept when a batch fails)."""
    retry_inbox(svc, result)
    with svc.read() as session:
        cursor = session.execute(select(SyncLink.cursor)).scalar()
    while True:
        page = http.events(cursor, protocol.MAX_BATCH)
        events = page.get("events") or []
        with svc.write() as session:
            _take_page(session, events, result)
            link = session.execute(select(SyncLink)).scalar_one()
            link.cursor = page.get("cursor") or cursor
            link.epoch = page.get("epoch") or link.epoch
        result.pulled += len(events)
        cursor = link.cursor
        if progress is not None:
            progress("pull", result.pulled, total)
        if not page.get("has_more") or not events:
            return


def _keep(session: Session, wire: Any, reason: str) -> None:
    seq = wire.get("server_seq") if isinstance(wire, dict) else None
    if not isinstance(seq, int):
        return  # nothing to keep it by: the server sent no place in its feed
    session.execute(
        delete(SyncInbox).where(SyncInbox.shop_id == shop_of(session), SyncInbox.server_seq == seq)
    )
    session.add(
        SyncInbox(
            server_seq=seq,
            event_id=str(wire.get("id")),
            body=json.dumps(wire, sort_keys=True),
            reason=reason,
        )
    )


def forget_cursor(svc: Services) -> None:
    """Read the feed again from its start (the server's log is not the one we read)."""
    with svc.write() as session:
        link = session.execute(select(SyncLink)).scalar_one()
        link.cursor = None
