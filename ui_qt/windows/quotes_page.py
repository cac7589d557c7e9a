"""The Quotes tab: the list, a product line for the selected draft, and the quote's steps
(issue, sent, accepted, declined, to a draft invoice), each one service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.commands import NewLine, NewQuote
from invoicer.services.quotes import QuoteView
from invoicer.services.views import Page
from ui_qt.dialogs.errors import show_error, show_info
from ui_qt.models.quote_table_model import COL_CUSTOMER, QuoteTableModel
from ui_qt.widgets.naming import named
from ui_qt.windows.list_page import ListPage

QUOTE_FILTERS: list[tuple[str, Any]] = [
    ("All quotes", None),
    ("Drafts", "draft"),
    ("Issued", "issued"),
    ("Sent", "sent"),
    ("Accepted", "accepted"),
    ("Declined", "declined"),
    ("Expired", "expired"),
]


class QuotesPage(QWidget):
    changed = Signal()  # a quote (or the invoice made of one) was written

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.list = ListPage(
            QuoteTableModel(), self._fetch, self.tr("New &quote"), QUOTE_FILTERS, COL_CUSTOMER
        )
        self.list.new_requested.connect(self.new_quote)
        self.product = named(QComboBox(), "quote_product")
        self.quantity = named(QLineEdit("1"), "quote_quantity")
        self.quantity.setMaximumWidth(80)
        lines = QHBoxLayout()
        lines.addWidget(self.product, 1)
        lines.addWidget(self.quantity)
        lines.addWidget(self._button("add_line", self.tr("Add &line"), self.add_line))
        steps = QHBoxLayout()
        for name, text, slot in (
            ("issue", self.tr("&Issue"), lambda: self._step("issue")),
            ("send", self.tr("Mark &sent"), lambda: self._step("send")),
            ("accept", self.tr("&Accepted"), lambda: self._step("accept")),
            ("decline", self.tr("&Declined"), lambda: self._step("decline")),
            ("convert", self.tr("To &invoice"), self.convert),
        ):
            steps.addWidget(self._button(name, text, slot))
        steps.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(lines)
        layout.addLayout(steps)
        self.dialog: Any = None  # the last dialog opened (tests drive it)
        self.info_box: Any = None
        self.loaded = False

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = named(QPushButton(text), f"quote_{name}")
        button.clicked.connect(slot)
        return button

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        self.loaded = True
        self.list.reload()
        current = self.product.currentData()
        self.product.clear()
        for product in self.svc.products.list(limit=1000).items:
            self.product.addItem(product.name, product.id)
        if current is not None and (index := self.product.findData(current)) >= 0:
            self.product.setCurrentIndex(index)

    def _fetch(self, _search: str | None, status: Any, offset: int, limit: int) -> Page[QuoteView]:
        return self.svc.quotes.list(status=status, offset=offset, limit=limit)

    def selected(self) -> QuoteView | None:
        record = self.list.selected_record()
        return record if isinstance(record, QuoteView) else None

    def new_quote(self) -> None:
        from ui_qt.dialogs.customer_picker import CustomerPicker

        picker = CustomerPicker(self.svc, None, self)
        picker.picked.connect(self._create)
        self.dialog = picker
        picker.open()

    def _create(self, customer_id: str) -> None:
        self._run(lambda: self.svc.quotes.create(NewQuote(customer_id=customer_id)))

    def add_line(self) -> None:
        quote, product_id = self.selected(), self.product.currentData()
        if quote is None or product_id is None:
            return
        line = NewLine(product_id=product_id, quantity=self.quantity.text())
        self._run(lambda: self.svc.quotes.add_line(quote.id, line))

    def _step(self, step: str) -> None:
        if (quote := self.selected()) is not None:
            self._run(lambda: getattr(self.svc.quotes, step)(quote.id))

    def convert(self) -> None:
        if (quote := self.selected()) is None:
            return
        invoice = self._run(lambda: self.svc.quotes.convert(quote.id))
        if invoice is not None:
            self.info_box = show_info(self, self.tr("Draft invoice"), invoice.notes or "")

    def _run(self, call: Callable[[], Any]) -> Any:
        try:
            result = call()
        except InvoicerError as exc:
            show_error(self, exc)
            return None
        self.changed.emit()
        self.list.reload()
        return result
