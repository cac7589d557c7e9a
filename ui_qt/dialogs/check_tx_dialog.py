"""Verify a crypto transaction on chain (in a worker) and book it against the invoice."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services
from invoicer.services.views import Invoice
from ui_qt.dialogs.errors import error_text, show_error
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread


class CheckTxDialog(QDialog):
    booked = Signal(object)  # (Payment, TxCheck)

    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice = invoice
        self.worker: Worker | None = None
        self.error_box: QDialog | None = None
        self.setWindowTitle(self.tr("Check crypto transaction for {0}").format(invoice.number))
        self.setMinimumWidth(560)
        self.tx_hash = named(QLineEdit(), "txHash")
        self.tx_hash.setPlaceholderText("0x…")
        self.status = named(QLabel(), "status")
        self.status.setWordWrap(True)
        self.check_button = named(QPushButton(self.tr("&Check and book")), "check")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Transaction hash"), self.tx_hash)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def check(self) -> None:
        from invoicer.services.commands import CryptoTransaction
        from invoicer.services.payments_crypto import check_transaction

        tx_hash = self.tx_hash.text().strip()
        if not tx_hash:
            self._failed(ValidationError.single("tx_hash", "required", "Paste the hash first."))
            return
        self.check_button.setEnabled(False)
        self.status.setText(self.tr("Asking the blockchain node…"))
        invoice_id = self.invoice.id
        self.worker = run_in_thread(
            lambda: check_transaction(self.svc, invoice_id, CryptoTransaction(tx_hash=tx_hash)),
            self._done,
            self._failed,
        )

    def _done(self, result: Any) -> None:
        self.check_button.setEnabled(True)
        self.status.clear()
        self.booked.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        # The message says which check failed; the dialog stays open for another hash.
        self.check_button.setEnabled(True)
        self.status.setText(error_text(exc))
        self.error_box = show_error(self, exc, self.tr("Transaction not accepted"))
