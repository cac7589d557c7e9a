"""The editable head of a draft: buyer reference, payment terms and notes (update_draft)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.views import Invoice
from ui_qt.widgets.naming import named


class DraftHeader(QWidget):
    saved = Signal()
    failed = Signal(object)  # the InvoicerError

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice_id = ""
        self.reference = named(QLineEdit(), "buyer_reference")
        self.reference.setPlaceholderText(self.tr("PO number or reference of the buyer"))
        self.due_days = named(QSpinBox(), "due_days")
        self.due_days.setRange(0, 365)
        self.due_days.setSuffix(self.tr(" days"))
        self.notes = named(QLineEdit(), "draft_notes")
        self.notes.setPlaceholderText(self.tr("Note printed on the invoice"))
        left = QFormLayout()
        left.addRow(self.tr("Buyer reference"), self.reference)
        left.addRow(self.tr("Payment terms"), self.due_days)
        right = QFormLayout()
        right.addRow(self.tr("Notes"), self.notes)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 2)
        self.reference.editingFinished.connect(self.save)
        self.notes.editingFinished.connect(self.save)
        self.due_days.editingFinished.connect(self.save)

    def show_invoice(self, invoice: Invoice) -> None:
        self.invoice_id = invoice.id
        for widget in (self.reference, self.notes, self.due_days):
            widget.blockSignals(True)
        self.reference.setText(invoice.buyer_reference or "")
        self.notes.setText(invoice.notes or "")
        self.due_days.setValue(invoice.due_days or 0)
        for widget in (self.reference, self.notes, self.due_days):
            widget.blockSignals(False)

    def values(self) -> dict[str, Any]:
        return {
            "buyer_reference": self.reference.text().strip() or None,
            "notes": self.notes.text().strip() or None,
            "due_days": self.due_days.value(),
        }

    def save(self) -> None:
        try:
            self.svc.invoices.update_draft(self.invoice_id, **self.values())
        except InvoicerError as exc:
            self.failed.emit(exc)
            return
        self.saved.emit()
