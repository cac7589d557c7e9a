"""F6 Reports: VAT summary for a period, receivables ageing, revenue per month."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, Static, TabbedContent, TabPane

from ui_tui import format as fmt
from ui_tui.actions import bindings_for
from ui_tui.periods import PERIODS, period_range
from ui_tui.screens.base import BaseScreen
from ui_tui.widgets.nav_bar import NavBar
from ui_tui.widgets.sync_indicator import InvoicerFooter

REPORT_PERIODS = tuple(p for p in PERIODS if p[1] != "all")


class ReportsScreen(BaseScreen):
    SCOPE = "reports"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("reports")

    @property
    def today(self) -> dt.date:
        return getattr(self.app, "today", None) or dt.date.today()

    def compose(self) -> ComposeResult:
        yield NavBar(current="reports")
        with TabbedContent(id="report-tabs"):
            with TabPane("VAT summary", id="vat"):
                with Horizontal(classes="toolbar"):
                    yield Select(
                        REPORT_PERIODS,
                        value="this_quarter",
                        allow_blank=False,
                        id="vat-period",
                        compact=True,
                    )
                with VerticalScroll():
                    yield Static("", id="vat-report")
            with TabPane("Ageing", id="aging"), VerticalScroll():
                yield Static("", id="aging-report")
            with TabPane("Revenue per month", id="revenue"):
                with Horizontal(classes="toolbar"):
                    yield Input(
                        str(self.today.year),
                        id="year",
                        compact=True,
                        placeholder="Year",
                        type="integer",
                    )
                with VerticalScroll():
                    yield Static("", id="revenue-report")
        yield InvoicerFooter()

    def on_mount(self) -> None:
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        start, end = period_range(str(self.query_one("#vat-period", Select).value), self.today)
        self.call("vat", self.services.reports.vat_summary, start, end)
        self.call("aging", self.services.reports.aging, as_of=self.today)
        year = self.query_one("#year", Input).value.strip()
        if year.isdigit():
            self.call("revenue", self.services.reports.revenue_by_month, int(year))

    @on(Select.Changed, "#vat-period")
    @on(Input.Submitted, "#year")
    @on(Input.Changed, "#year")
    def _changed(self) -> None:
        self.reload()

    def done_vat(self, report: Any) -> None:
        self.query_one("#vat-report", Static).update(render_rows(report, "VAT summary"))

    def done_aging(self, report: Any) -> None:
        self.query_one("#aging-report", Static).update(render_rows(report, "Ageing"))

    def done_revenue(self, report: Any) -> None:
        self.query_one("#revenue-report", Static).update(render_rows(report, "Revenue"))


def render_rows(report: Any, title: str) -> Table | Text:
    """A Rich table from a report view: a sequence of dataclass rows, or a view with `rows`."""
    rows = getattr(report, "rows", report)
    rows = list(rows.items()) if isinstance(rows, dict) else list(rows)
    if not rows:
        return Text(f"{title}: nothing in this period.", style="italic")
    first = rows[0]
    fields = (
        list(first.__dataclass_fields__)
        if hasattr(first, "__dataclass_fields__")
        else [f"col{i}" for i in range(len(first))]
    )
    table = Table(box=None, header_style="bold", padding=(0, 2))
    for name in fields:
        table.add_column(name.replace("_", " ").capitalize())
    for row in rows:
        values = [getattr(row, f) for f in fields] if hasattr(row, "__dataclass_fields__") else row
        table.add_row(*[_cell(v) for v in values])
    return table


def _cell(value: Any) -> Text:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return Text(fmt.money(value), justify="right")
    if value is None:
        return Text("")
    return Text(str(value))
