"""Show a payment URL (Stripe link, EIP-681 request) to pass on, with a copy button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui_qt.widgets.naming import named


class LinkDialog(QDialog):
    def __init__(self, title: str, text: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        explanation = named(QLabel(text), "linkText")
        explanation.setWordWrap(True)
        explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url = named(QLineEdit(url), "url")
        self.url.setReadOnly(True)
        self.url.setCursorPosition(0)
        copy = named(QPushButton(self.tr("&Copy")), "copy")
        copy.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(copy)
        self.copied = named(QLabel(), "copied")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(row)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url.text())
        self.copied.setText(self.tr("Copied to the clipboard."))
