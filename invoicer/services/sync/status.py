"""A store's sync state without the network: what the status bars and `invoicer sync status`
show, one line in the merchant's words, from sync_link, the acks, the inbox, the refusals
and the open conflicts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invoicer.services.sync import views
from invoicer.services.sync.conflicts import count_open
from invoicer.services.sync.link import REVOKED_MESSAGE, pending_count
from invoicer.store.sync_schema import SyncInbox, SyncLink, SyncRejection

OFFLINE_CODE = "sync_unavailable"  # last_error is stored as "code: message"


def _ago(then: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"  # pragma: no cover


def _changes(n: int) -> str:
    return f"{n} change{'s' if n != 1 else ''}"


def split_error(error: str | None) -> tuple[str, str]:
    if not error:
        return "", ""
    code, _, message = error.partition(": ")
    return (code, message) if message else ("", error)


def _message(
    link: SyncLink, pending: int, conflicts: int, refused: int, waiting: int, now: dt.datetime
) -> tuple[str, str]:
    code, error = split_error(link.last_error)
    if link.quarantine_reason:
        return views.ATTENTION, (
            "Needs attention: the server stopped this device's sync "
            f"({link.quarantine_reason}). Ask the shop's admin."
        )
    if link.revoked_at is not None:
        return views.ATTENTION, f"Needs attention: {REVOKED_MESSAGE}"
    if error and code != OFFLINE_CODE:
        return views.ATTENTION, f"Needs attention: {error}"
    if conflicts:
        return views.ATTENTION, (
            f"Needs attention: {conflicts} conflict{'s' if conflicts != 1 else ''} to settle "
            "(`invoicer sync conflicts`)."
        )
    if waiting:
        return views.ATTENTION, (
            f"Needs attention: {_changes(waiting)} from other devices need a newer Invoicer: "
            "update to apply them (they are kept)."
        )
    if error:
        # Since the last time the server answered (the attempts after it all failed).
        since = (link.last_sync_at or link.last_attempt_at or now).strftime("%H:%M UTC")
        tail = f" — {_changes(pending)} waiting" if pending else ""
        return views.OFFLINE, f"Offline since {since}{tail}"
    if pending:
        return views.PENDING, f"{_changes(pending)} waiting to be sent"
    if refused:  # kept for good: said after what is happening now (pending)
        return views.ATTENTION, (
            f"Needs attention: {_changes(refused)} from other devices could not be applied "
            "here (they are kept, not lost)."
        )
    if link.last_sync_at is None:
        return views.PENDING, "Not synced yet"
    return views.SYNCED, f"Synced {_ago(link.last_sync_at, now)}"


def status_of(session: Session, now: dt.datetime) -> views.SyncStatus:
    """`now`: naive UTC, as the store keeps times."""
    link = session.execute(select(SyncLink)).scalar()
    if link is None:
        return views.SyncStatus(views.OFF, "Sync is not set up (`invoicer sync setup URL`).")
    pending = pending_count(session, link)
    waiting = session.execute(select(func.count()).select_from(SyncInbox)).scalar() or 0
    refused = session.execute(select(func.count()).select_from(SyncRejection)).scalar() or 0
    conflicts = count_open(session)
    state, message = _message(link, pending, conflicts, refused, waiting, now)
    return views.SyncStatus(
        state=state,
        message=message,
        pending=pending,
        last_sync_at=link.last_sync_at,
        last_error=split_error(link.last_error)[1] or None,
        server_url=link.server_url,
        device_id=link.device_id,
        device_code=link.device_code,
        device_name=link.device_name,
        revoked=link.revoked_at is not None,
        quarantined=link.quarantine_reason,
        conflicts=conflicts,
        refused=refused,
        waiting=waiting,
    )
