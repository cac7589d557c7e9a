"""The Sync tab's conflicts: guarded fields (a VAT number, a price…) two devices changed
differently without seeing each other's change. svc.sync uses one value for now on every
device; here the merchant sees them and keeps the value they choose (svc.sync.resolve),
which the next sync takes everywhere."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui_qt.dialogs.errors import error_text
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread

COLUMNS = ("Record", "Field", "Used now", "Written")


def value_text(value: object) -> str:
    return "(empty)" if value in (None, "") else str(value)


class SyncConflictsBox(QWidget):
    loaded = Signal()
    settled = Signal(object)  # the SyncConflict settled

    def __init__(self, svc: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncConflicts")
        self.svc = svc
        self.conflicts: tuple[Any, ...] = ()
        self.workers: list[Worker] = []  # each kept alive until its signal was delivered
        self.choice: QInputDialog | None = None
        self.label = named(QLabel(), "syncConflictsText")
        self.label.setWordWrap(True)
        self.table = named(QTableWidget(0, len(COLUMNS)), "syncConflictTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.settle_button = named(QPushButton(self.tr("Settle…")), "syncSettle")
        self.settle_button.clicked.connect(self.ask)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.table, self.settle_button):
            layout.addWidget(widget)
        self.show_conflicts(())

    def load(self) -> None:
        self.workers.append(
            run_in_thread(
                lambda: tuple(self.svc.sync.conflicts()), self.show_conflicts, self._failed
            )
        )

    def show_conflicts(self, conflicts: tuple[Any, ...]) -> None:
        self.conflicts = conflicts
        self.label.setText(
            self.tr(
                "{0} conflict(s) for you to settle: choose the value to keep; until then "
                "every device uses the one shown."
            ).format(len(conflicts))
            if conflicts
            else ""
        )
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            written = " / ".join(value_text(v.value) for v in c.values)
            cells = (f"{c.entity} {c.label}", c.field, value_text(c.current), written)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if conflicts:
            self.table.selectRow(0)
        self.table.setVisible(bool(conflicts))
        self.settle_button.setVisible(bool(conflicts))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        text = self.tr("The conflicts could not be listed: {0}").format(error_text(exc))
        self.label.setText(text)

    def ask(self) -> None:
        """Which value to keep: a non-blocking choice (open(), so tests can answer it)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict = self.conflicts[row]
        texts = [value_text(v.value) for v in conflict.values]
        dialog = QInputDialog(self)
        dialog.setObjectName("syncSettleChoice")
        dialog.setWindowTitle(self.tr("Settle {0}: {1}").format(conflict.label, conflict.field))
        dialog.setLabelText(self.tr("Keep this value on every device:"))
        dialog.setComboBoxItems(texts)
        dialog.setComboBoxEditable(False)
        dialog.textValueSelected.connect(
            lambda text: self.resolve(conflict, conflict.values[texts.index(text)].stamp)
        )
        self.choice = dialog
        dialog.open()

    def resolve(self, conflict: Any, stamp: str) -> None:
        self.workers.append(
            run_in_thread(
                lambda: self.svc.sync.resolve(conflict.id, stamp), self._resolved, self._failed
            )
        )

    def _resolved(self, conflict: Any) -> None:
        self.settled.emit(conflict)
        self.load()
