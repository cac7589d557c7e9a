"""What the server's sync log answers (server_log.py): plain values the routes serialise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from invoicer.services.sync.views import RemoteDevice


@dataclass(frozen=True, slots=True)
class Registration:
    """A device just registered: its credential is shown this once."""

    device: RemoteDevice
    token: str
    chains: tuple[str, ...]
    epoch: str
    shop_id: str


@dataclass(frozen=True, slots=True)
class DeviceAuth:
    """The device a credential belongs to, as a request needs it."""

    shop_id: str
    device_id: str
    name: str
    code: str
    chains: tuple[str, ...]
    revoked_at: dt.datetime | None
    quarantine_reason: str | None


@dataclass(frozen=True, slots=True)
class Review:
    """An event a revoked device pushed (a document it issued offline): kept, to be looked at."""

    event_id: str
    device_id: str
    action: str
    entity_id: str
    reason: str
    at: dt.datetime
    reviewed_at: dt.datetime | None
    reviewed_by: str | None


@dataclass(frozen=True, slots=True)
class SyncState:
    device: RemoteDevice
    epoch: str
    head: int  # the newest server_seq of the shop's feed (0: none yet)
    chains: dict[str, int]  # chain -> highest device_seq the server holds
    server_schema: int
    min_client_schema: int


@dataclass(frozen=True, slots=True)
class PushResult:
    id: str
    device_seq: int
    status: str  # stored | duplicate | refused
    server_seq: int | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class PushAnswer:
    results: tuple[PushResult, ...]
    chains: dict[str, int]
    head: int
    revoked_message: str | None  # the device is revoked: what to tell the merchant


@dataclass(frozen=True, slots=True)
class EventBatch:
    events: tuple[dict[str, Any], ...]  # wire events with server_seq, in feed order
    cursor: str | None
    has_more: bool
    head: int
    epoch: str
