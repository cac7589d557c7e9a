"""The sync state in the footer's right corner: synced / n pending / offline / needs attention.

The app keeps the last status svc.sync gave (`InvoicerApp.sync_status`); this only draws it.
"Off" (no sync set up) draws nothing at all, so a store that never syncs looks as before.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Static

from invoicer.services.sync.views import (
    ATTENTION,
    OFFLINE,
    PENDING,
    SYNCED,
    SyncStatus,
    indicator_text,
)


class SyncIndicator(Static):
    DEFAULT_CSS = """
    SyncIndicator {
        width: 1fr;  /* what the keys leave, but never less than the state's words */
        min-width: 23;
        text-align: right;
        height: 1;
        padding: 0 1;
        color: $text-muted;
        background: $footer-background;
    }
    SyncIndicator.-synced { color: $success; }
    SyncIndicator.-pending { color: $text; }
    SyncIndicator.-offline { color: $warning; }
    SyncIndicator.-attention { color: $error; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__("", id="sync-indicator")
        self.display = False

    def on_mount(self) -> None:
        self.show_status(*_app_status(self.app))

    def show_status(self, status: SyncStatus | None, running: bool = False) -> None:
        text = indicator_text(status, running)
        self.display = bool(text)
        for state in (SYNCED, PENDING, OFFLINE, ATTENTION):
            self.set_class(status is not None and status.state == state, f"-{state}")
        self.update(Text(text, no_wrap=True, overflow="ellipsis"))
        self.tooltip = (status.last_error or status.message) if text and status else None


class InvoicerFooter(Footer):
    """Textual's key footer with the sync state docked at its right end."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield SyncIndicator()


def _app_status(app: Any) -> tuple[SyncStatus | None, bool]:
    return getattr(app, "sync_status", None), bool(getattr(app, "sync_running", False))
