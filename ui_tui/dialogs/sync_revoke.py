"""Revoke one of the shop's devices (svc.sync.revoke): a confirmation that asks for the shop
admin's password or an API key, because only an admin may do it."""

from __future__ import annotations

from typing import Any

from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.widgets.form import FieldSpec

REVOKE_FIELDS = (
    FieldSpec("email", "Admin e-mail", placeholder="owner@shop.example"),
    FieldSpec("password", "Password", kind="secret"),
    FieldSpec("api_key", "…or an API key instead", kind="secret"),
)


class SyncRevokeDialog(FormDialog):
    OK = "Revoke"
    REMOTE = True
    FIELDS = REVOKE_FIELDS

    def __init__(self, device: Any) -> None:
        super().__init__()
        self.device = device  # a RemoteDevice

    def dialog_title(self) -> str:
        return f"Revoke {self.device.name} ({self.device.code})?"

    def intro(self) -> str:
        return (
            "The server refuses this device from now on. Invoices it already issued stay "
            "valid and synced; it keeps working locally but can no longer issue from its "
            f"series {self.device.series_prefix or '(the first device’s)'} until it is "
            "registered again. Invoices it issued offline before it learns of this are "
            "accepted and flagged for your review."
        )

    def submit(self, values: dict[str, Any]) -> Any:
        return self.services.sync.revoke(
            self.device.device_id,
            email=values["email"],
            password=values["password"],
            api_key=values["api_key"],
        )
