"""The Settings dialog's Sync tab: link this store to a server (svc.sync.setup, with its
progress), see the status, sync now, list the shop's devices and revoke one. Each action is
one svc.sync call in a worker; runs go through the window's SyncController, so the status bar
and this tab say the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.sync.views import OFF, SyncStatus, state_words
from ui_qt.dialogs.errors import error_text
from ui_qt.sync_controller import SyncController
from ui_qt.widgets.naming import named
from ui_qt.widgets.sync_conflicts import SyncConflictsBox
from ui_qt.workers import Worker, run_in_thread

DEVICE_COLUMNS = ("Device", "Code", "Registered", "Last seen", "State")


def when(moment: dt.datetime | None) -> str:
    """A stored moment (naive = UTC) in this computer's time, to the minute."""
    if moment is None:
        return "never"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def summary(status: SyncStatus | None) -> str:
    """What the tab says about the status, one fact a line."""
    if status is None or status.state == OFF:
        return (
            "Sync is off: this store works on its own. Link it to your Invoicer server to "
            "keep the shop's laptops, desktops and web store in step."
        )
    code = f" (series code {status.device_code})" if status.device_code else ""
    lines = [
        f"State: {state_words(status)} · {status.message}",
        f"Server: {status.server_url or '?'} · Device: {status.device_name or '?'}{code}",
        f"Last sync: {when(status.last_sync_at)} · Waiting to go up: {status.pending:,} · "
        f"Conflicts: {status.conflicts:,} · Refused: {status.refused:,}",
    ]
    if status.waiting:
        lines.append(f"{status.waiting:,} received events need a newer Invoicer.")
    if status.revoked:
        lines.append("This device was revoked: it can no longer issue from its series.")
    if status.quarantined:
        lines.append(f"Quarantined by the server: {status.quarantined}")
    if status.last_error:
        lines.append(f"Last problem: {status.last_error}")
    return "\n".join(lines)


class SyncPage(QWidget):
    setup_progress = Signal(str, int, object)  # from the set-up worker, queued to this thread
    devices_loaded = Signal()
    linked = Signal(object)  # the set-up's SyncReport

    def __init__(
        self, svc: Any, controller: SyncController | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.svc = svc
        # Without the window's controller (the dialog alone): one that never runs by itself.
        self.controller = controller or SyncController(
            svc, self, every_ms=None, after_change_ms=None
        )
        self.devices: tuple[Any, ...] = ()
        self.workers: list[Worker] = []  # each kept alive until its signal was delivered
        self.revoke_dialog: Any = None

        self.summary = named(QLabel(), "syncSummary")
        self.summary.setWordWrap(True)
        self.phase = named(QLabel(), "syncPhase")
        self.phase.setWordWrap(True)
        self.bar = named(QProgressBar(), "syncProgress")
        self.bar.setVisible(False)

        self.setup_box = named(QGroupBox(self.tr("Set up sync")), "syncSetup")
        form = QFormLayout(self.setup_box)
        self.edits: dict[str, QLineEdit] = {}
        for name, label, hint, secret in (
            ("url", "Server URL", "https://invoicer.example.com", False),
            ("name", "This device's name", "Shop laptop", False),
            ("email", "Admin e-mail", "owner@shop.example", False),
            ("password", "Password", "", True),
            ("api_key", "…or an API key instead", "sk_live_…", True),
        ):
            edit = named(QLineEdit(), f"sync_{name}")
            edit.setPlaceholderText(hint)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.edits[name] = edit
            form.addRow(self.tr(label), edit)
        self.link_button = named(QPushButton(self.tr("Link this device")), "syncLink")
        self.link_button.clicked.connect(self.run_setup)
        form.addRow("", self.link_button)

        self.sync_button = named(QPushButton(self.tr("Sync now")), "syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        self.list_button = named(QPushButton(self.tr("List devices")), "syncListDevices")
        self.list_button.clicked.connect(self.load_devices)
        self.revoke_button = named(QPushButton(self.tr("Revoke…")), "syncRevoke")
        self.revoke_button.clicked.connect(self.confirm_revoke)
        buttons = QHBoxLayout()
        for button in (self.sync_button, self.list_button, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.table = named(QTableWidget(0, len(DEVICE_COLUMNS)), "syncDevices")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in DEVICE_COLUMNS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.conflicts = SyncConflictsBox(svc)
        self.conflicts.settled.connect(self._settled)

        layout = QVBoxLayout(self)
        for widget in (self.summary, self.phase, self.bar, self.setup_box):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.conflicts)
        layout.addStretch(1)

        self.setup_progress.connect(self.show_progress)
        self.controller.status_changed.connect(self.show_status)
        self.controller.progress.connect(self.show_progress)
        self.controller.finished.connect(self._sync_finished)
        self.show_status(self.controller.status, self.controller.running)
        self.controller.refresh_status()

    # -- showing ------------------------------------------------------------------------
    def show_status(self, status: SyncStatus | None, running: bool) -> None:
        linked = status is not None and status.state != OFF
        self.summary.setText(self.tr(summary(status)))
        self.setup_box.setVisible(not linked)
        for button in (self.sync_button, self.list_button):
            button.setVisible(linked)
        self.sync_button.setEnabled(not running)
        self.revoke_button.setVisible(linked and bool(self.devices))
        self.table.setVisible(linked and bool(self.devices))
        if linked and status is not None and status.conflicts != len(self.conflicts.conflicts):
            self.conflicts.load()

    def show_progress(self, phase: str, done: int, total: int | None) -> None:
        verb = {"push": "Uploading", "pull": "Downloading"}.get(phase, phase)
        of = f" of {total:,}" if total is not None else ""
        self.phase.setText(self.tr("{0} {1:,}{2} events…").format(verb, done, of))
        self.bar.setVisible(True)
        self.bar.setRange(0, total or 0)  # 0..0: a busy bar while the total is unknown
        self.bar.setValue(done)

    def _settled(self, conflict: Any) -> None:
        self.phase.setText(
            self.tr("Settled {0}: {1}; the next sync takes it to every device.").format(
                conflict.label, conflict.field
            )
        )
        self.controller.changed()  # the pending count grew; it goes up soon

    def _failed(self, exc: BaseException) -> None:
        self.bar.setVisible(False)
        self.phase.setText(error_text(exc))

    # -- set-up -------------------------------------------------------------------------
    def run_setup(self) -> None:
        values = {n: e.text().strip() or None for n, e in self.edits.items()}
        emit = self.setup_progress.emit
        self.link_button.setEnabled(False)
        self.phase.setText(self.tr("Signing in to {0}…").format(values["url"] or "?"))

        def setup() -> Any:
            return self.svc.sync.setup(
                values["url"] or "",
                name=values["name"] or "",
                email=values["email"],
                password=values["password"],
                api_key=values["api_key"],
                progress=lambda p, d, t: emit(p, d, t),
            )

        self.workers.append(run_in_thread(setup, self._linked, self._setup_failed))

    def _linked(self, report: Any) -> None:
        self.link_button.setEnabled(True)
        self.bar.setVisible(False)
        for name in ("password", "api_key"):
            self.edits[name].clear()  # used once, kept nowhere
        self.phase.setText(
            self.tr("Linked as device {0}: {1:,} events sent, {2:,} received.").format(
                report.status.device_code or "?", report.pushed, report.pulled
            )
        )
        self.controller.show(report.status)
        self.controller.refresh_status()
        self.linked.emit(report)

    def _setup_failed(self, exc: BaseException) -> None:
        self.link_button.setEnabled(True)
        self._failed(exc)

    # -- runs and devices ---------------------------------------------------------------
    def sync_now(self) -> None:
        self.phase.setText(self.tr("Syncing…"))
        self.controller.sync_now()

    def _sync_finished(self, report: Any, exc: BaseException | None) -> None:
        self.bar.setVisible(False)
        if exc is not None:
            self.phase.setText(self.tr("The sync did not finish: {0}").format(error_text(exc)))
            return
        self.phase.setText(
            self.tr("Synced: {0:,} sent, {1:,} received ({2:,} new here), {3:,} refused.").format(
                report.pushed, report.pulled, report.applied, report.refused
            )
        )

    def load_devices(self) -> None:
        self.workers.append(
            run_in_thread(lambda: tuple(self.svc.sync.devices()), self._show_devices, self._failed)
        )

    def _show_devices(self, devices: tuple[Any, ...]) -> None:
        self.devices = devices
        mine = self.controller.status.device_id if self.controller.status else None
        self.table.setRowCount(len(devices))
        for row, d in enumerate(devices):
            state = "revoked" if d.revoked_at else "quarantined" if d.quarantined else "active"
            if d.reviews:
                state += f", {d.reviews} to review"
            name = f"{d.name} (this one)" if d.device_id == mine else d.name
            cells = (name, d.code, when(d.registered_at), when(d.last_seen_at), state)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if devices:
            self.table.selectRow(0)
        self.show_status(self.controller.status, self.controller.running)
        self.devices_loaded.emit()

    def selected_device(self) -> Any:
        row = self.table.currentRow()
        return self.devices[row] if 0 <= row < len(self.devices) else None

    def confirm_revoke(self) -> None:
        from ui_qt.dialogs.sync_revoke_dialog import SyncRevokeDialog

        device = self.selected_device()
        if device is None:
            return
        dialog = SyncRevokeDialog(self.svc, device, self)
        dialog.revoked.connect(self._revoked)
        self.revoke_dialog = dialog
        dialog.open()

    def _revoked(self, device: Any) -> None:
        self.phase.setText(self.tr("Revoked {0} ({1}).").format(device.name, device.code))
        self.load_devices()
