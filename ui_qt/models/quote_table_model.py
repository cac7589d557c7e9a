from __future__ import annotations

from typing import Any

from invoicer.services.quotes import QuoteView
from ui_qt import format as fmt
from ui_qt.models.paged_table_model import PagedTableModel

COL_NUMBER, COL_DATE, COL_VALID, COL_CUSTOMER, COL_STATUS, COL_GROSS = range(6)


class QuoteTableModel(PagedTableModel[QuoteView]):
    HEADERS = ("Number", "Date", "Valid until", "Customer", "Status", "Total")
    NUMERIC_COLUMNS = frozenset({COL_GROSS})

    def display(self, item: QuoteView, column: int) -> str:
        values = (
            item.number or self.tr("(draft)"),
            fmt.date(item.issue_date),
            fmt.date(item.valid_until),
            item.customer_name,
            self.tr(item.status.capitalize()),
            fmt.money(item.gross, item.currency),
        )
        return values[column]

    def sort_key(self, item: QuoteView, column: int) -> Any:
        keys: tuple[Any, ...] = (
            item.number or "",
            item.issue_date,
            item.valid_until,
            item.customer_name.casefold(),
            item.status,
            item.gross,
        )
        return keys[column]
