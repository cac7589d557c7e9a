"""The dashboard's "needs your attention" list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from invoicer.services.views import Attention
from ui_qt.models.paged_table_model import RECORD_ROLE

ICONS = {"overdue": "⚠", "old_draft": "✎", "unverified_vat": "?"}


class AttentionListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._items: list[Attention] = []

    def set_rows(self, items: tuple[Attention, ...] | list[Attention]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{ICONS.get(item.kind, '•')}  {item.message}"
        if role == RECORD_ROLE:
            return item
        return None
