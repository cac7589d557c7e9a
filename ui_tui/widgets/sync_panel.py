"""The Settings screen's Sync tab: set up sync, see its status, sync now, list and revoke the
shop's devices. Every action is one svc.sync call in a worker; the app's sync driver
(ui_tui/sync_driver.py) runs the syncs themselves, so the footer and this tab agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, ProgressBar, Static

from invoicer.services.sync.views import OFF, SyncStatus, state_words
from ui_tui.dialogs.sync_revoke import SyncRevokeDialog
from ui_tui.dialogs.sync_setup import SyncSetupDialog, show_progress
from ui_tui.messages import SyncFinished, SyncProgress, SyncStatusChanged
from ui_tui.screens.base import ServiceCalls, describe_error
from ui_tui.sync_driver import LISTENER, sync_area
from ui_tui.widgets.sync_conflicts import SyncConflicts


def when(moment: dt.datetime | None) -> str:
    """A stored moment (naive = UTC) in this computer's time, to the minute."""
    if moment is None:
        return "never"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def summary_lines(status: SyncStatus | None) -> list[str]:
    """What the tab says about the status, one fact a line."""
    if status is None or status.state == OFF:
        return [
            "Sync is off: this store works on its own.",
            "Set it up to keep your shop's laptops, desktops and web store in step "
            "through your Invoicer server.",
        ]
    lines = [f"State: {state_words(status)} · {status.message}"]
    device = status.device_name or "this device"
    code = f" (series code {status.device_code})" if status.device_code else ""
    lines.append(f"Server: {status.server_url or '?'} · Device: {device}{code}")
    lines.append(
        f"Last sync: {when(status.last_sync_at)} · Waiting to go up: {status.pending:,} · "
        f"Conflicts: {status.conflicts:,} · Refused: {status.refused:,}"
    )
    if status.waiting:
        lines.append(f"{status.waiting:,} received events need a newer Invoicer.")
    if status.revoked:
        lines.append("This device was revoked: it can no longer issue from its series.")
    if status.quarantined:
        lines.append(f"Quarantined by the server: {status.quarantined}")
    if status.last_error:
        lines.append(f"Last problem: {status.last_error}")
    return lines


class SyncPanel(ServiceCalls, Vertical):
    DEFAULT_CSS = """
    SyncPanel { height: 1fr; padding: 0 1; }
    SyncPanel #sync-summary { height: auto; margin-bottom: 1; }
    SyncPanel #sync-phase { height: auto; color: $text-muted; }
    SyncPanel Horizontal.buttons { height: auto; margin-bottom: 1; }
    SyncPanel Button { margin-right: 2; }
    SyncPanel DataTable { height: auto; max-height: 12; }
    SyncPanel .hint { color: $text-muted; margin-top: 1; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__(id="sync-panel", classes=LISTENER)
        self.devices: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield Static("", id="sync-summary")
            yield Static("", id="sync-phase")
            yield ProgressBar(id="sync-progress", show_eta=False)
            with Horizontal(classes="buttons"):
                yield Button("Set up sync…", id="sync-setup", compact=True)
                yield Button("Sync now", id="sync-now", variant="primary", compact=True)
                yield Button("List devices", id="sync-list-devices", compact=True)
                yield Button("Revoke…", id="sync-revoke", variant="warning", compact=True)
            table: DataTable[Any] = DataTable(id="sync-devices", cursor_type="row")
            for title, width in (
                ("Device", 22),
                ("Code", 5),
                ("Registered", 16),
                ("Last seen", 16),
                ("State", 14),
            ):
                table.add_column(title, width=width)
            yield table
            yield SyncConflicts()
            yield Static(
                "Syncing also happens by itself every few minutes and shortly after each "
                "change. Revoking a device needs the shop admin's password or an API key.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#sync-progress").display = False
        self.query_one("#sync-devices").display = False
        self.show(self.invoicer.sync_status, self.invoicer.sync_running)
        self.invoicer.refresh_sync_status()

    # ------------------------------------------------------------------ showing
    def show(self, status: SyncStatus | None, running: bool) -> None:
        linked = status is not None and status.state != OFF
        self.query_one("#sync-summary", Static).update("\n".join(summary_lines(status)))
        self.query_one("#sync-setup", Button).display = not linked
        for name in ("#sync-now", "#sync-list-devices"):
            self.query_one(name, Button).display = linked
        self.query_one("#sync-now", Button).disabled = running
        self.query_one("#sync-revoke", Button).display = linked and bool(self.devices)
        if not running:
            self.query_one("#sync-phase", Static).update("")
            self.query_one("#sync-progress").display = False
        box = self.query_one(SyncConflicts)
        if linked and status is not None and status.conflicts != len(box.conflicts):
            box.load()

    def on_sync_status_changed(self, message: SyncStatusChanged) -> None:
        self.show(message.status, message.running)

    def on_sync_progress(self, message: SyncProgress) -> None:
        show_progress(self, "#sync-phase", "#sync-progress", message)

    def on_sync_finished(self, message: SyncFinished) -> None:
        if message.error is not None:
            self.query_one("#sync-phase", Static).update(
                f"The sync did not finish: {describe_error(message.error)}"
            )
            return
        report = message.report
        self.query_one("#sync-phase", Static).update(
            f"Synced: {report.pushed:,} sent, {report.pulled:,} received "
            f"({report.applied:,} new here), {report.refused:,} refused."
        )

    # ------------------------------------------------------------------ actions
    @on(Button.Pressed, "#sync-setup")
    def _setup(self) -> None:
        if sync_area(self.services) is None:
            self.app.notify("This Invoicer has no sync.", severity="error")
            return

        def linked(report: Any) -> None:
            if report is None:
                return
            self.invoicer.show_sync_status(report.status)
            code = report.status.device_code or "?"
            self.app.notify(
                f"Linked as device {code}: {report.pushed:,} events sent, "
                f"{report.pulled:,} received."
            )
            self.invoicer.sync_changed("setup")

        self.app.push_screen(SyncSetupDialog(), linked)

    @on(Button.Pressed, "#sync-now")
    def _sync_now(self) -> None:
        self.query_one("#sync-phase", Static).update("Syncing…")
        self.invoicer.sync_now()

    @on(Button.Pressed, "#sync-list-devices")
    def _list_devices(self) -> None:
        self.call_remote("sync_devices", lambda: tuple(self.services.sync.devices()))

    def done_sync_devices(self, devices: tuple[Any, ...]) -> None:
        self.devices = devices
        table = self.query_one("#sync-devices", DataTable)
        table.clear()
        mine = self.invoicer.sync_status.device_id if self.invoicer.sync_status else None
        for device in devices:
            state = "revoked" if device.revoked_at else "quarantined" if device.quarantined else ""
            if device.reviews:
                state = f"{state} {device.reviews} to review".strip()
            name = f"{device.name} (this one)" if device.device_id == mine else device.name
            table.add_row(
                name,
                device.code,
                when(device.registered_at),
                when(device.last_seen_at),
                state or "active",
                key=device.device_id,
            )
        table.display = True
        self.show(self.invoicer.sync_status, self.invoicer.sync_running)

    @property
    def highlighted_device(self) -> Any:
        table = self.query_one("#sync-devices", DataTable)
        if not self.devices or table.cursor_row < 0:
            return None
        return self.devices[min(table.cursor_row, len(self.devices) - 1)]

    @on(Button.Pressed, "#sync-revoke")
    def _revoke(self) -> None:
        device = self.highlighted_device
        if device is None:
            self.app.notify("List the devices and highlight the one to revoke first.")
            return

        def revoked(result: Any) -> None:
            if result is not None:
                self.app.notify(f"Revoked {result.name} ({result.code}).")
                self._list_devices()

        self.app.push_screen(SyncRevokeDialog(device), revoked)
