"""A table model that fetches rows page by page from a service `list(offset, limit)` call.

The view asks `canFetchMore`/`fetchMore` as the user scrolls, so even 100,000 invoices cost
one page (50 rows) at start. Subclasses give the columns and how to read a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from invoicer.services.views import Page

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw Decimal/date/str for sorting
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2  # the service view object of the row

PAGE_SIZE = 50


class PagedTableModel(QAbstractTableModel, Generic[T]):
    HEADERS: tuple[str, ...] = ()
    NUMERIC_COLUMNS: frozenset[int] = frozenset()

    def __init__(self, fetch: Callable[[int, int], Page[T]] | None = None) -> None:
        super().__init__()
        self._fetch = fetch
        self._rows: list[T] = []
        self._total = 0
        self._exhausted = fetch is None
        self._capped = False
        self.page_size = PAGE_SIZE

    # -- loading ----------------------------------------------------------------------
    def set_fetch(self, fetch: Callable[[int, int], Page[T]]) -> None:
        """Start again with another query (new search text or filter)."""
        self.beginResetModel()
        self._fetch = fetch
        self._rows = []
        self._total = 0
        self._exhausted = False
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def set_rows(self, rows: Sequence[T]) -> None:
        """Show exactly these rows (tests and small fixed lists)."""
        self.beginResetModel()
        self._fetch = None
        self._rows = list(rows)
        self._total = len(self._rows)
        self._exhausted = True
        self.endResetModel()

    def refresh(self) -> None:
        if self._fetch is not None:
            self.set_fetch(self._fetch)

    def total(self) -> int:
        return self._total

    def total_text(self) -> str:
        """'1,234', or '10,000+' when the service stopped counting."""
        return f"{self._total:,}" + ("+" if self._capped else "")

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self._fetch is None:
            return
        page = self._fetch(len(self._rows), self.page_size)
        self._total = page.total
        self._capped = page.total_capped
        if len(page.items) < self.page_size:
            self._exhausted = True
        if not page.items:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
        self._rows.extend(page.items)
        self.endInsertRows()

    # -- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.tr(self.HEADERS[section])
        return None

    def record(self, row: int) -> T:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, column)
        if role == SORT_ROLE:
            return self.sort_key(item, column)
        if role == RECORD_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, item: T, column: int) -> str:
        raise NotImplementedError

    def sort_key(self, item: T, column: int) -> Any:
        return self.display(item, column)
