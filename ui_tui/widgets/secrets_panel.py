"""The Secrets tab: which keyring is used and whether each secret is set — never a value."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

SECRET_LABELS = {
    "remote_api_key": "Remote server API key",
    "stripe_secret_key": "Stripe secret key",
    "rpc_key": "Blockchain RPC key",
}


class SecretsPanel(Vertical):
    DEFAULT_CSS = """
    SecretsPanel { height: 1fr; padding: 0 1; }
    SecretsPanel #keyring-status { margin-bottom: 1; }
    SecretsPanel #keyring-status.-unusable { color: $error; }
    SecretsPanel DataTable { height: auto; }
    SecretsPanel .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="secrets-panel")
        self.names: tuple[str, ...] = ()
        self.usable = False
        self.stored: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        yield Static("Checking the keyring…", id="keyring-status")
        table: DataTable[Any] = DataTable(id="secrets", cursor_type="row")
        table.add_column("Secret", width=22)
        table.add_column("State", width=8)
        table.add_column("Used for", width=38)
        yield table
        yield Static(
            "Enter sets the highlighted secret, Del removes it. Values go straight to the "
            "keyring and are never shown, stored in the database or written to a file.",
            classes="hint",
        )

    def show(self, status: Any, descriptions: dict[str, str]) -> None:
        self.usable = bool(status.usable)
        self.stored = dict(status.stored)
        label = self.query_one("#keyring-status", Static)
        label.set_class(not self.usable, "-unusable")
        if self.usable:
            label.update(f"Keyring: {status.backend}")
        else:
            label.update(status.problem or "No usable keyring was found.")
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.names = tuple(descriptions)
        for name, used_for in descriptions.items():
            state = "set" if self.stored.get(name) else "not set"
            table.add_row(SECRET_LABELS.get(name, name), state, used_for, key=name)
        if self.names:
            table.move_cursor(row=min(max(cursor, 0), len(self.names) - 1))

    @property
    def highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.names or table.cursor_row < 0:
            return None
        return self.names[min(table.cursor_row, len(self.names) - 1)]
