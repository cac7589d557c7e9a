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
    """Fields in a form; OK calls `save(**values)`; problems appear above the buttons."""

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, Any]],
        save: Callable[..., Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = {name: widget for name, _, widget in fields}
        self._save = save
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
        try:
            self.result_value = self._save(**self.values())
        except InvoicerError as exc:
            self.problems.setText(error_text(exc))
            self.problems.show()
            return
        super().accept()
