"""The refusals of the sync protocol (docs/sync.md), in the one error vocabulary
(services/errors.py): each carries its stable code (protocol.py), the parameter at fault and
any extra fields the error object adds (a gap's `resend_from`)."""

from __future__ import annotations

from typing import Any

from invoicer.domain.errors import Conflict, InvoicerError


class SyncRefused(Conflict):
    """409: the batch or cursor does not fit the server's log (a gap, a fork, a newer schema,
    an unknown cursor); `details` go into the error object as they are."""

    def __init__(self, code: str, message: str, param: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.param = param
        self.details = details


class DeviceRefused(InvoicerError):
    """403: the device may not do this (revoked, quarantined, another device's chain)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ClientOutdated(InvoicerError):
    """426: the device's Invoicer is older than the oldest the server serves."""

    code = "client_outdated"
