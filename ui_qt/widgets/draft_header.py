"""The editable head of a draft: buyer reference, terms, notes, currency, language and dates
(update_draft). Each field saves when left; a refused value shows why and the stored one
comes back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from invoicer.domain.errors import InvoicerError
from invoicer.domain.vat.wording import LANGUAGES
from invoicer.services.app import Services
from invoicer.services.commands import DraftChanges
from invoicer.services.views import Invoice
from ui_qt import format as fmt
from ui_qt.widgets.naming import named

LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français"}
# (field, label, placeholder): optional dates typed as ISO dates, blank for "not set".
DATE_FIELDS = [
    ("issue_date", "Issue date", "blank: the day it is issued"),
    ("supply_date", "Supply date", "blank: the issue date"),
    ("period_start", "Period from", "optional"),
    ("period_end", "Period to", "optional"),
]


class DraftHeader(QWidget):
    saved = Signal()
    failed = Signal(object)  # the InvoicerError

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice: Invoice | None = None
        self.reference = named(QLineEdit(), "buyer_reference")
        self.reference.setPlaceholderText(self.tr("PO number or reference of the buyer"))
        self.due_days = named(QSpinBox(), "due_days")
        # The minimum (-1) means "not set on this invoice": the customer's or shop's terms apply.
        self.due_days.setRange(-1, 365)
        self.due_days.setSpecialValueText(self.tr("default terms"))
        self.due_days.setSuffix(self.tr(" days"))
        self.notes = named(QLineEdit(), "draft_notes")
        self.notes.setPlaceholderText(self.tr("Note printed on the invoice"))
        self.currency = named(QLineEdit(), "currency")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(80)
        self.exchange_rate = named(QLineEdit(), "exchange_rate")
        self.exchange_rate.setPlaceholderText(self.tr("exchange rate"))
        self.exchange_rate.setToolTip(
            self.tr("Rate from the invoice currency to the VAT currency, when they differ.")
        )
        self.language = named(QComboBox(), "language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.dates: dict[str, QLineEdit] = {}
        for name, _, placeholder in DATE_FIELDS:
            edit = named(QLineEdit(), name)
            edit.setPlaceholderText(self.tr(placeholder))
            self.dates[name] = edit

        left = QFormLayout()
        left.addRow(self.tr("Buyer reference"), self.reference)
        left.addRow(self.tr("Payment terms"), self.due_days)
        money = QHBoxLayout()
        money.addWidget(self.currency)
        money.addWidget(self.exchange_rate, 1)
        left.addRow(self.tr("Currency"), money)
        left.addRow(self.tr("Language"), self.language)
        middle = QFormLayout()
        for name, label, _ in DATE_FIELDS:
            middle.addRow(self.tr(label), self.dates[name])
        right = QFormLayout()
        right.addRow(self.tr("Notes"), self.notes)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 2)
        row.addLayout(middle, 2)
        row.addLayout(right, 2)
        for edit in (self.reference, self.notes, self.currency, self.exchange_rate):
            edit.editingFinished.connect(self.save)
        for edit in self.dates.values():
            edit.editingFinished.connect(self.save)
        self.due_days.editingFinished.connect(self.save)
        self.language.activated.connect(self.save)

    def _widgets(self) -> list[QWidget]:
        return [
            self.reference,
            self.notes,
            self.due_days,
            self.currency,
            self.exchange_rate,
            self.language,
            *self.dates.values(),
        ]

    def show_invoice(self, invoice: Invoice) -> None:
        self.invoice = invoice
        for widget in self._widgets():
            widget.blockSignals(True)
        self.reference.setText(invoice.buyer_reference or "")
        self.notes.setText(invoice.notes or "")
        self.due_days.setValue(-1 if invoice.due_days is None else invoice.due_days)
        self.currency.setText(invoice.currency)
        rate = invoice.exchange_rate
        self.exchange_rate.setText(fmt.editable(None if rate is None else rate.normalize()))
        self.language.setCurrentIndex(max(0, self.language.findData(invoice.language)))
        for name, edit in self.dates.items():
            edit.setText(fmt.date(getattr(invoice, name)))
        for widget in self._widgets():
            widget.blockSignals(False)

    def values(self) -> dict[str, Any]:
        rate = self.exchange_rate.text().strip()
        return {
            "buyer_reference": self.reference.text().strip() or None,
            "notes": self.notes.text().strip() or None,
            "due_days": None if self.due_days.value() < 0 else self.due_days.value(),
            "currency": self.currency.text().strip().upper() or None,
            "exchange_rate": rate or None,
            "language": self.language.currentData(),
            **{name: edit.text().strip() or None for name, edit in self.dates.items()},
        }

    def save(self) -> None:
        if self.invoice is None:
            return
        values = self.values()
        if values["currency"] is None:  # a draft always has a currency: keep the stored one
            values["currency"] = self.invoice.currency
        try:
            self.svc.invoices.update_draft(self.invoice.id, DraftChanges(**values))
        except InvoicerError as exc:
            self.show_invoice(self.invoice)  # nothing was saved: show what is stored
            self.failed.emit(exc)
            return
        self.saved.emit()
