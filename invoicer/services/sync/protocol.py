"""The sync protocol's wire format, shared by the server's log and a device's engine
(docs/sync.md): events as JSON objects, the cursor, the schema versions and error codes.

An event travels with every column that identifies and proves it (EVENT_COLUMNS); `state` is
the payload's canonical JSON exactly as hashed, so the receiver checks the hash on the very
text the sender stored. A pulled event adds `server_seq`, its place in the shop's feed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from invoicer.store import schema
from invoicer.store.audit import SCHEMA_VERSION
from invoicer.store.replay import EVENT_COLUMNS

# The newest event schema this version writes and applies; the oldest client a server serves.
CLIENT_SCHEMA = SCHEMA_VERSION
MIN_CLIENT_SCHEMA = 2
SCHEMA_HEADER = "Invoicer-Schema"
MAX_BATCH = 500  # events per push or pull
TOKEN_PREFIX = "dv_"  # a device credential: dv_ + 43 url-safe characters (32 random bytes)
SERVER_DEVICE_CODE = "WEB"  # the server's own device (the API, the web store)
HISTORY_CHAIN = "local"  # the chain of a store's events from before it was linked

# Error codes of the sync routes (the API's one error object, server/errors.py).
GAP = "sync_gap"  # param: the chain; resend_from in the message and the error's `resend_from`
FORK = "sync_fork"  # the same place in a chain with another hash: the device is quarantined
REVOKED = "device_revoked"
QUARANTINED = "device_quarantined"
NOT_YOURS = "chain_not_yours"
CLIENT_OUTDATED = "client_outdated"
SERVER_OUTDATED = "server_outdated"
CURSOR_UNKNOWN = "cursor_unknown"  # the server's log is not the one the cursor was read from


def event_to_wire(event: schema.AuditEvent, server_seq: int | None = None) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for column in EVENT_COLUMNS:
        value = getattr(event, column)
        wire[column] = value.isoformat() if isinstance(value, dt.datetime) else value
    if server_seq is not None:
        wire["server_seq"] = server_seq
    return wire


class BadEvent(ValueError):
    """A wire event that lacks a column or holds a value of the wrong type."""


_TYPES: dict[str, type] = {
    "id": str,
    "device_id": str,
    "device_seq": int,
    "schema_version": int,
    "at": str,
    "actor": str,
    "action": str,
    "entity": str,
    "entity_id": str,
    "state": str,
    "prev_hash": str,
    "hash": str,
}
_HASH = re.compile(r"[0-9a-f]{64}")


def event_from_wire(wire: Any) -> schema.AuditEvent:
    """A transient AuditEvent (not in a session) from its wire form; BadEvent if malformed."""
    if not isinstance(wire, dict):
        raise BadEvent("An event is a JSON object.")
    values: dict[str, Any] = {}
    for column, kind in _TYPES.items():
        value: Any = wire.get(column)
        if type(value) is not kind or (isinstance(value, str) and "\x00" in value):
            raise BadEvent(f"The event's {column} is missing or not a {kind.__name__}.")
        values[column] = value
    if not 0 < values["device_seq"] < 2**31:
        raise BadEvent("The event's device_seq is out of range.")
    if not (_HASH.fullmatch(values["hash"]) and _HASH.fullmatch(values["prev_hash"])):
        raise BadEvent("The event's hashes are not SHA-256 hex.")
    for column in ("id", "device_id", "entity", "entity_id", "action", "actor"):
        if not values[column] or len(values[column]) > 200:
            raise BadEvent(f"The event's {column} is empty or too long.")
    try:
        at = dt.datetime.fromisoformat(values["at"])
    except ValueError:
        raise BadEvent("The event's time is not an ISO date and time.") from None
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    values["at"] = at
    return schema.AuditEvent(**values)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A place in a server's feed: the epoch of its log, a server_seq and the event there
    (so a log restored from a backup, or replaced, is noticed rather than read past)."""

    epoch: str
    server_seq: int
    event_id: str

    def encode(self) -> str:
        return f"{self.epoch}.{self.server_seq}.{self.event_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        parts = text.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 18:
            raise ValueError("not a sync cursor")
        return cls(parts[0], int(parts[1]), parts[2])
