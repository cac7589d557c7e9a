"""Show a service error in the user's terms: every problem, with its field."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from invoicer.domain.errors import ValidationError
from invoicer.services.errors import error_lines


def error_text(exc: BaseException) -> str:
    """The sentences of invoicer.services.errors (the CLI's words); several problems of one
    refusal are a bulleted list."""
    lines = error_lines(exc, show_internal=True)
    if isinstance(exc, ValidationError) and len(lines) > 1:
        return "\n".join(f"• {line}" for line in lines)
    return "\n".join(lines)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> QMessageBox:
    """Non-blocking (open(), not exec()) so no event loop ever waits on it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or box.tr("Cannot do that"))
    box.setText(error_text(exc))
    box.setObjectName("errorBox")
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A finished action's outcome, non-blocking like show_error."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setObjectName("infoBox")
    box.open()
    return box
