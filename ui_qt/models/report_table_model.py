"""Rows of a report: plain cells (str, Decimal, int), displayed and written to CSV alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui_qt.models.paged_table_model import SORT_ROLE

Cell = str | Decimal | int
Index = QModelIndex | QPersistentModelIndex


class ReportTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.headers: tuple[str, ...] = ()
        self.rows: list[tuple[Cell, ...]] = []

    def set_report(self, headers: tuple[str, ...], rows: list[tuple[Cell, ...]]) -> None:
        self.beginResetModel()
        self.headers, self.rows = headers, rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        cell = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{cell:,.2f}" if isinstance(cell, Decimal) else str(cell)
        if role == SORT_ROLE:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(cell, Decimal | int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def csv_text(self) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.headers)
        writer.writerows([str(c) for c in row] for row in self.rows)
        return out.getvalue()
