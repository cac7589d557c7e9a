"""Choose the customer of a new invoice: a search field with a completer over customers."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.app import Services
from invoicer.services.views import Customer
from ui_qt.widgets.naming import named


class CustomerPicker(QDialog):
    picked = Signal(str)

    def __init__(
        self, svc: Services, preselected: Customer | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.svc = svc
        self.setWindowTitle(self.tr("New invoice"))
        self._matches: dict[str, Customer] = {}
        self.name = named(QLineEdit(), "customer")
        self.name.setPlaceholderText(self.tr("Customer name, VAT number or email…"))
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.name.textEdited.connect(self._search)
        self.problem = named(QLabel(), "problems")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Invoice to:")))
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        if preselected is not None:
            self._matches = {preselected.name: preselected}
            self.name.setText(preselected.name)

    def _search(self, text: str) -> None:
        page = self.svc.customers.list(search=text or None, limit=20)
        self._matches = {c.name: c for c in page.items}
        self.names.setStringList(list(self._matches))

    def accept(self) -> None:
        text = self.name.text().strip()
        if text not in self._matches:
            self._search(text)
        customer = self._matches.get(text)
        if customer is None and len(self._matches) == 1:
            customer = next(iter(self._matches.values()))
        if customer is None:
            self.problem.setText(self.tr("Choose a customer from the list."))
            return
        super().accept()
        self.picked.emit(customer.id)
