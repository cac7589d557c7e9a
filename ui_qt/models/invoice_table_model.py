from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from invoicer.services.views import InvoiceSummary
from ui_qt import format as fmt
from ui_qt.models.paged_table_model import PagedTableModel

COL_NUMBER, COL_DATE, COL_CUSTOMER, COL_STATUS, COL_DUE, COL_GROSS, COL_BALANCE = range(7)


class InvoiceTableModel(PagedTableModel[InvoiceSummary]):
    HEADERS = ("Number", "Date", "Customer", "Status", "Due", "Total", "Balance")
    NUMERIC_COLUMNS = frozenset({COL_GROSS, COL_BALANCE})

    def display(self, item: InvoiceSummary, column: int) -> str:
        if column == COL_NUMBER:
            return item.number or self.tr("(draft)")
        if column == COL_DATE:
            return fmt.date(item.issue_date)
        if column == COL_CUSTOMER:
            return item.customer_name
        if column == COL_STATUS:
            return self.tr(fmt.status_label(item.status))
        if column == COL_DUE:
            return fmt.date(item.due_date)
        if item.status == "draft" and column == COL_BALANCE:
            return ""  # nothing is owed before it is issued; the total is as it would be today
        if column == COL_GROSS:
            return fmt.money(item.gross, item.currency)
        return fmt.money(item.balance, item.currency)

    def sort_key(self, item: InvoiceSummary, column: int) -> Any:
        keys: tuple[Any, ...] = (
            item.number or "",
            item.issue_date,
            item.customer_name.casefold(),
            item.status,
            item.due_date,
            item.gross,
            item.balance,
        )
        return keys[column]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and index.column() == COL_STATUS
            and 0 <= index.row() < self.rowCount()
            and self.record(index.row()).status == "overdue"
        ):
            # Bold, not a colour: readable in light and dark palettes alike.
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)
