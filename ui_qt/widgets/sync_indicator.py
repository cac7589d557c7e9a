"""The status bar's sync state: synced / n pending / offline / needs attention, with the
status message. It only draws the SyncStatus it is given (ui_qt/sync_controller.py asks
svc.sync for it); "off" (sync not set up) hides it, so a store that never syncs looks as before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from invoicer.services.sync.views import ATTENTION, OFF, OFFLINE, SyncStatus, indicator_text

COLOURS = {OFFLINE: "#b26a00", ATTENTION: "#c62828"}  # readable on light and dark bars


class SyncIndicator(QLabel):
    """A permanent widget of the main window's QStatusBar; a click opens the Sync settings."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.state = OFF
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setVisible(False)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    def show_status(self, status: SyncStatus | None, running: bool = False) -> None:
        text = indicator_text(status, running)
        self.state = OFF if status is None else status.state
        self.setText(text)
        self.setToolTip(status.last_error or status.message if text and status else "")
        colour = COLOURS.get(self.state)
        self.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")
        self.setVisible(bool(text))
