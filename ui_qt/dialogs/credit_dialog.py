"""Credit an issued invoice: everything, or chosen quantities of chosen lines."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import chosen_quantities
from invoicer.services.app import Services
from invoicer.services.commands import NewCreditNote
from invoicer.services.views import Invoice
from ui_qt.dialogs.errors import error_text
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread


class CreditDialog(QDialog):
    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice = invoice
        self.credit_note: Invoice | None = None
        self.worker: Worker | None = None  # the credit note being written
        self.setWindowTitle(self.tr("Credit note for {0}").format(invoice.number))
        self.full = named(QRadioButton(self.tr("Credit the whole invoice")), "full")
        self.partial = named(QRadioButton(self.tr("Credit chosen lines")), "partial")
        self.full.setChecked(True)
        self.quantities: dict[str, QLineEdit] = {}
        lines = QFormLayout()
        for line in invoice.lines:
            # Text, as the terminal UI's field: read by the one quantity parser (never a
            # float spin box, whose locale marks and binary value the parser cannot share).
            field = named(QLineEdit(), f"qty_{line.position}")
            field.setPlaceholderText(self.tr("quantity to credit"))
            field.setEnabled(False)
            self.quantities[line.id] = field
            lines.addRow(f"{line.description} (max {line.quantity.normalize():f})", field)
        self.partial.toggled.connect(self._enable_quantities)
        self.reason = named(QLineEdit(), "reason")
        self.reason.setPlaceholderText(self.tr("Reason (printed on the credit note)"))
        self.problems = named(QLabel(), "problems")
        self.problems.setWordWrap(True)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.full)
        layout.addWidget(self.partial)
        layout.addLayout(lines)
        layout.addWidget(self.reason)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def _enable_quantities(self, on: bool) -> None:
        for field in self.quantities.values():
            field.setEnabled(on)

    def chosen_lines(self) -> dict[str, Decimal] | None:
        if self.full.isChecked():
            return None
        descriptions = {line.id: line.description for line in self.invoice.lines}
        typed = {
            line_id: (descriptions[line_id], field.text())
            for line_id, field in self.quantities.items()
        }
        return chosen_quantities(typed, locale=locale_for(self.invoice.language))

    def accept(self) -> None:
        """The credit note is written in the worker pool; the dialog closes when it is done."""
        if self.worker is not None:
            return  # already writing
        try:
            lines = self.chosen_lines()
        except ValidationError as exc:
            self.problems.setText(error_text(exc))
            return
        invoice_id = self.invoice.id
        reason = self.reason.text().strip() or None
        self.buttons.setEnabled(False)
        self.worker = run_in_thread(
            lambda: self.svc.credit_notes.create(
                invoice_id, NewCreditNote(lines=lines, reason=reason)
            ),
            self._created,
            self._failed,
        )

    def _created(self, credit_note: Invoice) -> None:
        self.worker = None
        self.buttons.setEnabled(True)
        self.credit_note = credit_note
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.worker = None
        self.buttons.setEnabled(True)
        self.problems.setText(error_text(exc))
