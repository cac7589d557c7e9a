"""Confirm revoking one of the shop's devices, with the admin's password or an API key (only an
admin may revoke); svc.sync.revoke runs in a worker and the dialog closes on success."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui_qt.dialogs.errors import error_text
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread


class SyncRevokeDialog(QDialog):
    revoked = Signal(object)  # the RemoteDevice as the server now has it

    def __init__(self, svc: Any, device: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncRevokeDialog")
        self.svc, self.device = svc, device
        self.worker: Worker | None = None
        self.setWindowTitle(self.tr("Revoke {0} ({1})?").format(device.name, device.code))
        intro = QLabel(
            self.tr(
                "The server refuses this device from now on. Invoices it already issued stay "
                "valid and synced; it keeps working locally but can no longer issue from its "
                "series until it is registered again. Invoices it issued offline before it "
                "learns of this are accepted and flagged for your review."
            )
        )
        intro.setWordWrap(True)
        self.email = named(QLineEdit(), "email")
        self.password = named(QLineEdit(), "password")
        self.api_key = named(QLineEdit(), "api_key")
        for secret in (self.password, self.api_key):
            secret.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Admin e-mail"), self.email)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("…or an API key"), self.api_key)
        self.problems = named(QLabel(), "problems")
        self.problems.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.revoke_button = named(
            self.buttons.addButton(self.tr("Revoke"), QDialogButtonBox.ButtonRole.AcceptRole),
            "revoke",
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Revoke in a worker; the dialog stays open until the server said yes."""
        self.revoke_button.setEnabled(False)
        self.problems.setText(self.tr("Asking the server…"))
        edits = (self.email, self.password, self.api_key)
        email, password, key = (edit.text().strip() or None for edit in edits)
        device_id = self.device.device_id
        self.worker = run_in_thread(
            lambda: self.svc.sync.revoke(device_id, email=email, password=password, api_key=key),
            self._done,
            self._failed,
        )

    def _done(self, device: Any) -> None:
        self.revoked.emit(device)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.revoke_button.setEnabled(True)
        self.problems.setText(error_text(exc))
