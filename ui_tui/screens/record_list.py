"""A searchable, paged list of records: the shape of the customers, products and invoices
screens.

Only one page is ever fetched (`services.<area>.list(offset, limit)`), sized to the rows the
table can show, so the list stays fast whatever the number of records. Typing in the search
box filters as you type (debounced); PgDn / PgUp move between pages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from ui_tui.screens.base import BaseScreen
from ui_tui.widgets.nav_bar import NavBar
from ui_tui.widgets.sync_indicator import InvoicerFooter

FLEX_MIN = 8  # the flexible column never gets narrower than this
SEARCH_DELAY = 0.25  # seconds of quiet typing before the list is fetched again


class RecordListScreen(BaseScreen):
    SCOPE: ClassVar[str] = ""
    MODE: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[tuple[str, str, int], ...]] = ()  # key, label, width
    # With FLEX set (a column key), the widths are fitted to the page shown: each column as
    # wide as its widest cell (at least its width above), and FLEX takes the room left over
    # (or gives way when the terminal is too narrow).
    FLEX: ClassVar[str | None] = None
    NOUN: ClassVar[str] = "records"
    SEARCH_HINT: ClassVar[str] = "Search"

    def __init__(self) -> None:
        super().__init__()
        self.page_offset = 0
        self.total = 0
        self.capped = False  # the service stopped counting at `total`: there are more
        self.items: tuple[Any, ...] = ()
        self.include_archived = False
        self._search_timer: Timer | None = None

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield NavBar(current=self.MODE)
        with Horizontal(classes="toolbar"):
            yield Input(placeholder=self.SEARCH_HINT, id="search", compact=True)
            yield from self.compose_filters()
        table: DataTable[Any] = DataTable(id="records", cursor_type="row", zebra_stripes=True)
        for key, label, width in self.COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("", id="pager", classes="status-line")
        yield InvoicerFooter()

    def compose_filters(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.call_after_refresh(self.reload)

    def on_resize(self) -> None:
        if self.is_mounted:
            self.reload()

    # ------------------------------------------------------------ data
    @property
    def page_size(self) -> int:
        height = self.query_one(DataTable).size.height - 1  # minus the header row
        return max(5, height)

    @property
    def search_text(self) -> str | None:
        return self.query_one("#search", Input).value.strip() or None

    def fetch(self, offset: int, limit: int) -> Any:
        raise NotImplementedError

    def row(self, item: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def reload(self) -> None:
        self.call("page", self.fetch, self.page_offset, self.page_size)

    def done_page(self, page: Any) -> None:
        if page.items == () and self.page_offset > 0 and page.total_capped:
            # Paged past the end of a list too long to count: back to the page before.
            self.page_offset = max(0, self.page_offset - self.page_size)
            self.reload()
            return
        if page.items == () and page.total and self.page_offset >= page.total:
            # The list shrank under us (a filter or an archive): go back to the last page.
            self.page_offset = max(0, (page.total - 1) // self.page_size * self.page_size)
            self.reload()
            return
        self.items, self.total = page.items, page.total
        self.capped = page.total_capped
        if self.capped and len(page.items) < self.page_size:
            # The last page of a list too long to count: now the total is known.
            self.total, self.capped = self.page_offset + len(page.items), False
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        rows = [self.row(item) for item in page.items]
        table.clear()
        self._fit_columns(table, rows)
        for item, row in zip(page.items, rows, strict=True):
            table.add_row(*row, key=item.id)
        if page.items:
            table.move_cursor(row=min(cursor, len(page.items) - 1))
        self._show_pager()

    def _fit_columns(self, table: DataTable[Any], rows: list[tuple[Any, ...]]) -> None:
        if self.FLEX is None:
            return
        widths = {
            key: max(
                minimum,
                cell_len(label),
                *(_cell_width(row[index]) for row in rows),
            )
            for index, (key, label, minimum) in enumerate(self.COLUMNS)
        }
        padding = 2 * table.cell_padding * len(self.COLUMNS)
        room = table.scrollable_content_region.width - padding - sum(widths.values())
        # Too narrow for all of it: FLEX gives way (down to FLEX_MIN) before a column is cut.
        widths[self.FLEX] = max(FLEX_MIN, widths[self.FLEX] + room)
        current = {str(key.value): column.width for key, column in table.columns.items()}
        if current != widths:
            table.clear(columns=True)
            for key, label, _ in self.COLUMNS:
                table.add_column(label, key=key, width=widths[key])

    def _show_pager(self) -> None:
        pager = self.query_one("#pager", Static)
        if not self.total:
            hint = (
                "Nothing matches." if self.search_text else f"No {self.NOUN} yet: Ctrl+N adds one."
            )
            pager.update(Text(hint, style="italic"))
            return
        first, last = self.page_offset + 1, self.page_offset + len(self.items)
        page, pages = self.page_offset // self.page_size + 1, -(-self.total // self.page_size)
        more = "+" if self.capped else ""  # "of 10,000+": counting stopped there
        text = f"{first:,}–{last:,} of {max(self.total, last):,}{more} {self.NOUN}"
        if pages > 1 or self.capped:
            text += f" · page {page:,}/{max(pages, page):,}{more} (PgUp/PgDn)"
        pager.update(text)

    @property
    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row < 0 or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    # ------------------------------------------------------------ events
    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        self.page_offset = 0
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self._search_now()
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    # ------------------------------------------------------------ actions
    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_page(self, step: int) -> None:
        offset = self.page_offset + step * self.page_size
        if step < 0:
            turn = offset >= 0
        else:  # past a capped count only from a full page (done_page steps back from an empty one)
            full = len(self.items) == self.page_size
            turn = offset < self.total or (self.capped and full)
        if turn:
            self.page_offset = offset
            self.reload()
        elif step > 0 and self.total:
            self.query_one(DataTable).move_cursor(row=len(self.items) - 1)
        else:
            self.query_one(DataTable).move_cursor(row=0)

    def action_toggle_archived(self) -> None:
        self.include_archived = not self.include_archived
        self.notify("Archived records shown." if self.include_archived else "Archived hidden.")
        self.reload()

    def action_new(self) -> None:
        raise NotImplementedError

    def action_open(self) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"open", "archive"}:
            return self.current is not None
        return True


def _cell_width(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))
