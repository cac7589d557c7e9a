"""What sync tells its callers (the CLI, the TUI and GUI status bars, the API): plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The one word a status bar shows.
OFF = "off"  # not set up
SYNCED = "synced"
PENDING = "pending"  # changes wait to go up (online, not yet sent)
OFFLINE = "offline"  # the last attempt could not reach the server
ATTENTION = "attention"  # a person must act: conflict, refused event, revoked, fork, update


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: str  # OFF | SYNCED | PENDING | OFFLINE | ATTENTION
    message: str  # one line for a status bar, in the merchant's words
    pending: int = 0  # this device's events the server has not confirmed
    last_sync_at: dt.datetime | None = None
    last_error: str | None = None
    server_url: str | None = None
    device_id: str | None = None
    device_code: str | None = None
    device_name: str | None = None
    revoked: bool = False
    quarantined: str | None = None
    conflicts: int = 0
    refused: int = 0  # events kept in their chain whose effect could not be applied
    waiting: int = 0  # pulled events that need a newer Invoicer


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int  # events the server stored (new)
    pulled: int  # events received
    applied: int  # of those, applied here (new to this store)
    refused: int  # events recorded as refused in this run
    status: SyncStatus


@dataclass(frozen=True, slots=True)
class ConflictValue:
    stamp: str  # the write's logical stamp (clock.device.seq)
    device_id: str
    value: object  # the field's value as stored (JSON)


@dataclass(frozen=True, slots=True)
class SyncConflict:
    id: str  # "entity:entity_id:field"
    entity: str  # customer | product | shop
    entity_id: str
    label: str  # the record's name, for people
    field: str
    current: object  # the value the deterministic rule chose for now
    values: tuple[ConflictValue, ...]  # the concurrent writes, newest stamp first


@dataclass(frozen=True, slots=True)
class RemoteDevice:
    device_id: str
    name: str
    code: str
    series_prefix: str
    registered_at: dt.datetime
    revoked_at: dt.datetime | None
    quarantined: str | None
    last_seen_at: dt.datetime | None
    reviews: int  # events it pushed while revoked, waiting for an admin's review


WORDS = {SYNCED: "synced", OFFLINE: "offline", ATTENTION: "needs attention"}


def state_words(status: SyncStatus | None, running: bool = False) -> str:
    """The short words for a status bar: "" when sync is off or not known."""
    if status is None or status.state == OFF:
        return ""
    if running:
        return "syncing…"
    if status.state == PENDING:
        return f"{status.pending:,} pending" if status.pending else "pending"
    return WORDS.get(status.state, status.state)


def indicator_text(status: SyncStatus | None, running: bool = False) -> str:
    """ "Sync: 3 pending · 3 changes wait to go up", or "" when there is nothing to show
    (what the TUI's footer and the desktop's status bar both show)."""
    words = state_words(status, running)
    if not words or status is None:
        return ""
    message = status.message.strip()
    if not message:
        return f"Sync: {words}"
    if message.lower().startswith(words.lower()):
        return f"Sync: {message}"  # "Offline since 10:42 UTC", not "offline · Offline since"
    return f"Sync: {words} · {message}"
