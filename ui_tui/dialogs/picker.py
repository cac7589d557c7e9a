"""A searchable pick-one dialog over a service `list(search, limit)` call."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from ui_tui.screens.base import ServiceCalls

T = TypeVar("T")
LIMIT = 50


class PickerDialog(ServiceCalls, ModalScreen[T], Generic[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "to_table", show=False, id="picker.down"),
    ]
    DEFAULT_CSS = """
    PickerDialog { align: center middle; }
    PickerDialog > Vertical {
        width: 76; max-width: 100%; height: 20; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PickerDialog Input { margin-bottom: 1; }
    PickerDialog DataTable { height: 1fr; }
    PickerDialog .hint { color: $text-muted; height: 1; }
    """
    TITLE: ClassVar[str] = "Pick"
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]] = ()

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self.title_text = title or self.TITLE
        self.items: tuple[Any, ...] = ()
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Input(placeholder="Type to search…", id="pick-search", compact=True)
            table: DataTable[Any] = DataTable(cursor_type="row", id="pick-table")
            for label, width in self.COLUMNS:
                table.add_column(label, width=width)
            yield table
            yield Static("Enter picks · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.reload()

    def fetch(self, search: str | None) -> Any:
        raise NotImplementedError

    def row(self, item: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def result(self, item: Any) -> T:
        raise NotImplementedError

    def reload(self) -> None:
        text = self.query_one(Input).value.strip() or None
        self.call("pick_page", self.fetch, text)

    def done_pick_page(self, page: Any) -> None:
        self.items = tuple(page.items)
        table = self.query_one(DataTable)
        table.clear()
        for item in self.items:
            table.add_row(*self.row(item))
        hint = f"{page.total:,} found" + (f", first {LIMIT} shown" if page.total > LIMIT else "")
        self.query_one(".hint", Static).update(f"{hint} · Enter picks · Esc cancels")

    @on(Input.Changed)
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.2, self.reload)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.items:
            self.pick(0)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.pick(event.cursor_row)

    def pick(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.dismiss(self.result(self.items[index]))

    def action_to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
