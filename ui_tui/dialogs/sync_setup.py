"""Link this store to an Invoicer server (svc.sync.setup), with the upload's progress.

The merchant signs in with the shop admin's e-mail and password, or pastes an API key; the
server registers this device and gives it its number-series code. The device credential goes
to the keyring (svc.sync does that); the password and key are used once and kept nowhere.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import ProgressBar, Static

from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.messages import SyncProgress
from ui_tui.widgets.form import FieldSpec

SETUP_FIELDS = (
    FieldSpec("url", "Server URL", required=True, placeholder="https://invoicer.example.com"),
    FieldSpec("name", "This device's name", required=True, placeholder="Shop laptop"),
    FieldSpec("email", "Admin e-mail", placeholder="owner@shop.example"),
    FieldSpec("password", "Password", kind="secret"),
    FieldSpec("api_key", "…or an API key instead", kind="secret", placeholder="sk_live_…"),
)


class SyncSetupDialog(FormDialog):
    TITLE = "Set up sync"
    OK = "Link"
    REMOTE = True
    FIELDS = SETUP_FIELDS

    def intro(self) -> str:
        return (
            "Signs in to your Invoicer server and registers this device under your shop. "
            "Invoices made here before are uploaded first; a new device of an existing shop "
            "downloads the shop. The device's credential is kept in the keyring only."
        )

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="sync-setup-phase", classes="intro")
        yield ProgressBar(id="sync-setup-progress", show_eta=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sync-setup-progress").display = False

    def submit(self, values: dict[str, Any]) -> Any:
        post = self.post_message

        def progress(phase: str, done: int, total: int | None) -> None:
            post(SyncProgress(phase, done, total))

        return self.services.sync.setup(
            values["url"] or "",
            name=values["name"] or "",
            email=values["email"],
            password=values["password"],
            api_key=values["api_key"],
            progress=progress,
        )

    def on_sync_progress(self, message: SyncProgress) -> None:
        show_progress(self, "#sync-setup-phase", "#sync-setup-progress", message)


def show_progress(root: Any, label: str, bar_id: str, message: SyncProgress) -> None:
    """ "Uploading 1,200 of 5,000 events" and the bar (pulsing while the total is unknown)."""
    verb = {"push": "Uploading", "pull": "Downloading"}.get(message.phase, message.phase)
    of = f" of {message.total:,}" if message.total is not None else ""
    root.query_one(label, Static).update(f"{verb} {message.done:,}{of} events…")
    bar = root.query_one(bar_id, ProgressBar)
    bar.display = True
    bar.update(total=message.total, progress=message.done)
