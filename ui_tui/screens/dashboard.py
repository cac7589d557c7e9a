"""F2 Dashboard: revenue of the last 30 days, what was received and how many invoices are paid
or open (the merchant stats), what is open and overdue, the latest invoices and what needs
attention (overdue invoices, old drafts, unchecked VAT numbers)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static

from ui_tui import format as fmt
from ui_tui.actions import bindings_for
from ui_tui.messages import ServicesReady
from ui_tui.screens.base import BaseScreen
from ui_tui.widgets.nav_bar import NavBar
from ui_tui.widgets.sync_indicator import InvoicerFooter

STATS_DAYS = 30


class DashboardScreen(BaseScreen):
    SCOPE = "dashboard"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("dashboard")

    def __init__(self) -> None:
        super().__init__()
        self.latest: tuple[Any, ...] = ()
        self.attention: tuple[Any, ...] = ()
        self.stats_after_open = False

    def compose(self) -> ComposeResult:
        yield NavBar(current="dashboard")
        with Grid(id="cards"):
            with Vertical(classes="card", id="card-revenue"):
                yield Static("Revenue, 30 days", classes="card-title")
                yield Static("…", id="revenue", classes="figure")
                yield Sparkline([], id="revenue-spark")
            with Vertical(classes="card", id="card-received"):
                yield Static("Received, 30 days", classes="card-title", id="received-title")
                yield Static("…", id="received", classes="figure")
                yield Static("", id="paid-open")
                yield Sparkline([], id="received-spark")
            with Vertical(classes="card"):
                yield Static("Open", classes="card-title")
                yield Static("…", id="open", classes="figure")
            with Vertical(classes="card"):
                yield Static("Overdue", classes="card-title")
                yield Static("…", id="overdue", classes="figure overdue")
        with Horizontal(id="dash-lists"):
            with Vertical(id="latest-box"):
                yield Static("Latest invoices", classes="section-title")
                latest: DataTable[Any] = DataTable(id="latest", cursor_type="row")
                latest.add_column("Number", width=15)
                latest.add_column("Customer", width=19, key="customer")
                latest.add_column("Gross", width=15)
                latest.add_column("Status", width=9)
                yield latest
            with Vertical(id="attention-box"):
                yield Static("Needs attention", classes="section-title")
                attention: DataTable[Any] = DataTable(
                    id="attention", cursor_type="row", show_header=False
                )
                attention.add_column("What", width=110)
                yield attention
        yield InvoicerFooter()

    def on_mount(self) -> None:
        first = self.invoicer.take_first_dashboard()
        if first is None:
            self.reload()
            return
        self.done_dashboard(first)
        # The first look has no stats: they are asked for once the services are open.
        self.stats_after_open = True
        self.call_after_refresh(self.invoicer.first_screen_shown)

    def on_services_ready(self, message: ServicesReady) -> None:
        if self.stats_after_open:
            self.stats_after_open = False
            self._load_stats()

    def _load_stats(self) -> None:
        today = getattr(self.app, "today", None)
        self.call("merchant_stats", self.services.merchant_stats.stats, STATS_DAYS, end=today)

    def on_resize(self) -> None:
        # Side by side when there is room, stacked on an 80-column terminal.
        self.set_class(self.size.width < 110, "-narrow")

    def reload(self) -> None:
        today = getattr(self.app, "today", None)
        self.call("dashboard", self.services.reports.dashboard, today=today)
        self._load_stats()

    def action_refresh(self) -> None:
        self.reload()

    def done_dashboard(self, dash: Any) -> None:
        code = getattr(dash, "currency", None)
        self.query_one("#revenue", Static).update(fmt.money(dash.revenue_30d, code))
        self.query_one("#open", Static).update(fmt.money(dash.open_total, code))
        overdue = self.query_one("#overdue", Static)
        overdue.update(fmt.money(dash.overdue_total, code))
        overdue.set_class(bool(dash.overdue_total), "-some")
        days = [value for _, value in _pairs(dash.revenue_by_day_30d)]
        self.query_one("#revenue-spark", Sparkline).data = [fmt.minor_units(v, code) for v in days]

        self.latest = tuple(dash.latest)
        table = self.query_one("#latest", DataTable)
        table.clear()
        for inv in self.latest:
            table.add_row(
                inv.number or "draft",
                getattr(inv, "customer_name", "") or "",
                fmt.amount(inv.gross, inv.currency),
                fmt.status(inv.status),
                key=inv.id,
            )
        self.attention = tuple(dash.attention)
        attention = self.query_one("#attention", DataTable)
        attention.clear()
        for item in self.attention:
            attention.add_row(_attention_text(item))
        if not self.attention:
            attention.add_row(Text("Nothing needs you right now.", style="green"))

    def done_merchant_stats(self, stats: Any) -> None:
        """Received per day and paid against open, in the shop's currency (listed first)."""
        figures = stats.currencies[0]
        code = figures.currency  # the figure names it: other currencies are on the Reports
        self.query_one("#received-title", Static).update(f"Received, {stats.days} days")
        self.query_one("#received", Static).update(fmt.money(figures.received, code))
        self.query_one("#paid-open", Static).update(
            f"{figures.paid_count} paid · {figures.open_count} open"
        )
        self.query_one("#received-spark", Sparkline).data = [
            fmt.minor_units(day.received, code) for day in figures.days
        ]

    @on(DataTable.RowSelected, "#latest")
    def _open_latest(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.latest):
            self._open_invoice(self.latest[event.cursor_row].id)

    @on(DataTable.RowSelected, "#attention")
    def _open_attention(self, event: DataTable.RowSelected) -> None:
        if not 0 <= event.cursor_row < len(self.attention):
            return
        item = self.attention[event.cursor_row]
        if getattr(item, "invoice_id", None):
            self._open_invoice(item.invoice_id)
        elif getattr(item, "customer_id", None):
            from ui_tui.screens.customer_form import CustomerFormScreen

            self.app.push_screen(CustomerFormScreen(item.customer_id))

    def _open_invoice(self, invoice_id: str) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        self.app.push_screen(InvoiceScreen(invoice_id))


def _pairs(series: Any) -> list[tuple[Any, Any]]:
    if isinstance(series, dict):
        return list(series.items())
    return [tuple(p) if isinstance(p, tuple | list) else (None, p) for p in series]


def _attention_text(item: Any) -> Text:
    kind = getattr(item, "kind", "")
    style = {"overdue": "bold red", "old_draft": "yellow", "unverified_vat": "cyan"}.get(kind, "")
    label = {"overdue": "Overdue", "old_draft": "Old draft", "unverified_vat": "VAT unchecked"}
    text = Text(f"{label.get(kind, kind.replace('_', ' ').capitalize())}: ", style=style)
    text.append(getattr(item, "message", None) or getattr(item, "text", None) or str(item))
    return text
