"""A small form dialog that saves through one service call and shows its problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.errors import InvoicerError
from ui_qt.dialogs.errors import error_text
from ui_qt.workers import Worker, run_in_thread

Field = QLineEdit | QComboBox | QCheckBox | QPlainTextEdit | QDateEdit


def value_of(widget: Field) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text().strip() or None
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toPython()
    return widget.toPlainText().strip() or None


def combo(choices: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    box = QComboBox()
    for value, label in choices:
        box.addItem(label, value)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


class FormDialog(QDialog):
    """Fields in a form; OK calls `save(**values)`; problems appear above the buttons.

    With `in_background`, `save` runs in the worker pool (ui_qt/workers.py) so a slow disk
    never freezes the window: the values are read here, the buttons wait, and the dialog
    closes, or shows the problems, when the answer comes back."""

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, Any]],
        save: Callable[..., Any],
        parent: QWidget | None = None,
        *,
        in_background: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = {name: widget for name, _, widget in fields}
        self._save = save
        self._in_background = in_background
        self.worker: Worker | None = None
        self.result_value: Any = None
        form = QFormLayout()
        for name, label, widget in fields:
            widget.setObjectName(name)
            form.addRow(label, widget)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def values(self) -> dict[str, Any]:
        return {name: value_of(widget) for name, widget in self.fields.items()}

    def accept(self) -> None:
        values = self.values()
        if self._in_background:
            if self.worker is not None:
                return  # already saving
            self.buttons.setEnabled(False)
            self.worker = run_in_thread(lambda: self._save(**values), self._saved, self._failed)
            return
        try:
            self.result_value = self._save(**values)
        except InvoicerError as exc:
            self._failed(exc)
            return
        super().accept()

    def _saved(self, result: Any) -> None:
        self.worker = None
        self.buttons.setEnabled(True)
        self.result_value = result
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.worker = None
        self.buttons.setEnabled(True)
        self.problems.setText(error_text(exc))
        self.problems.show()
