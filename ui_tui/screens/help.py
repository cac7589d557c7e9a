"""F1: every key, grouped by where it works, from the one action registry."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ui_tui.actions import ACTIONS

# (heading, scopes, id prefix): an action is listed once, under the first group that takes it.
GROUPS = (
    ("Everywhere", ("app",), ""),
    ("Lists (customers, products, invoices)", ("customers", "products", "invoices"), ""),
    ("Forms", ("customer_form", "product_form", "setup"), ""),
    ("Invoice", ("invoice",), ""),
    ("Getting paid (invoices list and invoice)", ("invoices", "invoice"), "payments."),
    ("Settings", ("settings",), ""),
    ("Reports and dashboard", ("reports", "dashboard"), ""),
)
PAYMENTS = "payments."


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

    def _table(self) -> Group:
        parts: list[Table | Text] = []
        seen: set[str] = set()
        for heading, scopes, prefix in GROUPS:
            rows = [
                a
                for a in ACTIONS
                if a.keys
                and set(a.scopes) & set(scopes)
                and a.id not in seen
                and (a.id.startswith(prefix) if prefix else not a.id.startswith(PAYMENTS))
            ]
            if not rows:
                continue
            parts.append(Text(heading, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, width=14)
            table.add_column()
            for action in rows:
                seen.add(action.id)
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, "")) for k in action.keys.split(",")
                )
                line = Text(action.title)
                if not action.id.startswith("go."):
                    line.append(f"  {action.help}", style="dim")
                table.add_row(keys, line)
            parts.append(table)
        extra = Table.grid(padding=(0, 2))
        extra.add_column(style="bold", no_wrap=True, width=14)
        extra.add_column()
        extra.add_row("enter", "Open the highlighted row; in a dialog, OK")
        extra.add_row("tab", "Next field or panel (shift+tab goes back)")
        parts += [Text("Moving around", style="bold underline"), extra]
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)
