"""F1: every key, grouped by where it works, from the one action registry."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ui_tui.actions import ACTIONS

GROUPS = (
    ("Everywhere", ("app",)),
    ("Lists (customers, products, invoices)", ("customers", "products", "invoices")),
    ("Forms", ("customer_form", "product_form", "settings", "setup")),
    ("Invoice", ("invoice",)),
    ("Reports and dashboard", ("reports", "dashboard")),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "Esc closes · Ctrl+P finds any action by name"
            yield Static(self._table())

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen: set[str] = set()
        for heading, scopes in GROUPS:
            rows = [
                a for a in ACTIONS if a.keys and set(a.scopes) & set(scopes) and a.id not in seen
            ]
            if not rows:
                continue
            table.add_row(Text(heading, style="underline"), "")
            for action in rows:
                seen.add(action.id)
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, "")) for k in action.keys.split(",")
                )
                table.add_row(keys, f"{action.title} — {action.help}")
            table.add_row("", "")
        table.add_row("Enter", "Open the highlighted row; in a form, go to the next field")
        table.add_row("Tab / Shift+Tab", "Move between fields and panels")
        return table

    def action_close(self) -> None:
        self.dismiss(None)
