"""App-wide messages: small dataclasses named as facts that happened.

Workers never touch widgets; they end by posting one of these. `ServiceCallSucceeded` and
`ServiceCallFailed` carry the result of a service call back to the screen that asked for it
(`purpose` says which call); `RecordsChanged` tells every open screen to reload its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class ServiceCallSucceeded(Message, bubble=False):
    purpose: str
    result: Any


@dataclass
class ServiceCallFailed(Message, bubble=False):
    purpose: str
    error: BaseException


@dataclass
class RecordsChanged(Message, bubble=False):
    """Something was saved; `kind` is "shop", "customer", "product", "invoice" or "payment"."""

    kind: str


@dataclass
class ServicesReady(Message, bubble=False):
    """The services opening in the background are open."""


@dataclass
class ServicesFailed(Message, bubble=False):
    """The services opening in the background (after a first look) could not be opened."""

    error: BaseException


@dataclass
class SyncStatusChanged(Message, bubble=False):
    """The app learnt a new sync status (`status` None: not known yet or no sync here);
    `running` while a sync is under way."""

    status: Any
    running: bool


@dataclass
class SyncProgress(Message, bubble=False):
    """A sync in a worker moved on: phase "push" or "pull", done so far, total if known."""

    phase: str
    done: int
    total: int | None


@dataclass
class SyncFinished(Message, bubble=False):
    """A sync run ended: `report` (a SyncReport) or the `error` it raised."""

    report: Any
    error: BaseException | None
