"""Sorts on the raw values of SORT_ROLE (Decimal, date), never on display text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from ui_qt.models.paged_table_model import SORT_ROLE


class SortProxy(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)

    def lessThan(
        self,
        source_left: QModelIndex | QPersistentModelIndex,
        source_right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        left: Any = source_left.data(SORT_ROLE)
        right: Any = source_right.data(SORT_ROLE)
        if left is None or right is None:
            return left is None and right is not None
        try:
            return bool(left < right)
        except TypeError:
            return str(left) < str(right)
