"""The top line: the shop's name and the sections with their keys, current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ui_tui.actions import SECTIONS


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    """

    current: reactive[str] = reactive("dashboard")

    def __init__(self, current: str) -> None:
        super().__init__()
        self.set_reactive(NavBar.current, current)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for mode, key, title in SECTIONS:
            label = f" {key.upper()} {title} "
            if mode == self.current:
                text.append(label, style="bold reverse")
            else:
                text.append(label)
        width, name = self.size.width, str(getattr(self.app, "shop_name", ""))
        if name and width - text.cell_len > len(name) + 2:
            text.append(" " * (width - text.cell_len - len(name) - 1))
            text.append(name, style="italic")
        return text
