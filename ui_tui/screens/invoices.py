"""F3 Invoices: one page at a time (fast with 100,000+), filtered by status, customer and
period, searched by number or customer; Enter opens, Ctrl+N starts a draft. Payments that
concern many invoices start here: a bank statement import and the Stripe refresh."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Button, Select

from invoicer.services.commands import NewDraft
from invoicer.services.labels import STATUS_LABELS
from ui_tui import format as fmt
from ui_tui import payments
from ui_tui.actions import bindings_for
from ui_tui.dialogs.customer_picker import CustomerPicker
from ui_tui.dialogs.statement import StatementDialog
from ui_tui.dialogs.statement_report import StatementReportDialog
from ui_tui.periods import PERIODS, period_range
from ui_tui.screens.record_list import RecordListScreen

STATUSES = (
    ("Draft", "draft"),
    ("Open", "open"),
    (STATUS_LABELS["partially_paid"], "partially_paid"),
    ("Overdue", "overdue"),
    ("Paid", "paid"),
    ("Credited", "credited"),
)


class InvoicesScreen(RecordListScreen):
    SCOPE = "invoices"
    MODE = "invoices"
    NOUN = "invoices"
    SEARCH_HINT = "Search number or customer  ( / )"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("invoices")
    COLUMNS = (
        ("number", "Number", 15),
        ("date", "Date", 10),
        ("customer", "Customer", 14),
        ("gross", "Gross", 13),
        ("balance", "Balance", 10),
        ("status", "Status", 9),
    )
    FLEX = "customer"

    def __init__(self) -> None:
        super().__init__()
        self.customer: tuple[str, str] | None = None  # (id, name)

    def compose_filters(self) -> ComposeResult:
        yield Select(STATUSES, prompt="Any status", id="status", compact=True)
        yield Select(PERIODS, value="all", allow_blank=False, id="period", compact=True)
        yield Button("Any customer", id="customer", compact=True)

    @property
    def today(self) -> dt.date:
        return getattr(self.app, "today", None) or dt.date.today()

    def fetch(self, offset: int, limit: int) -> Any:
        status = self.query_one("#status", Select).value
        period = self.query_one("#period", Select).value
        start, end = period_range(str(period), self.today)
        return self.services.invoices.list(
            status=None if status is Select.NULL else status,
            customer_id=self.customer[0] if self.customer else None,
            date_from=start,
            date_to=end,
            search=self.search_text,
            offset=offset,
            limit=limit,
        )

    def row(self, item: Any) -> tuple[Any, ...]:
        kind = getattr(item, "kind", "invoice")
        number = item.number or "(draft)"
        if kind == "credit_note":
            number = f"{number} CN"
        return (
            number,
            fmt.date(item.issue_date),
            getattr(item, "customer_name", "") or "",
            fmt.amount(item.gross, item.currency),
            # Nothing is owed before issuing; a draft's total is what issuing would decide today.
            "" if item.status == "draft" else fmt.amount(getattr(item, "balance", None), None),
            fmt.status(item.status),
        )

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.page_offset = 0
        self.reload()

    @on(Button.Pressed, "#customer")
    def _pick_customer(self) -> None:
        def picked(choice: tuple[str, str] | None) -> None:
            self.customer = choice
            self.query_one("#customer", Button).label = choice[1][:16] if choice else "Any customer"
            self.page_offset = 0
            self.reload()

        self.app.push_screen(CustomerPicker(allow_any=True), picked)

    def action_clear_filters(self) -> None:
        self.customer = None
        self.query_one("#customer", Button).label = "Any customer"
        self.query_one("#status", Select).clear()
        self.query_one("#period", Select).value = "all"
        self.query_one("#search").value = ""  # type: ignore[attr-defined]
        self.page_offset = 0
        self.reload()

    def action_new(self) -> None:
        def picked(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                invoices = self.services.invoices
                draft = NewDraft(customer_id=choice[0])
                self.call("create", invoices.create_draft, draft)

        self.app.push_screen(CustomerPicker(title="New invoice for which customer?"), picked)

    def done_create(self, invoice: Any) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        self.changed("invoice")
        self.app.push_screen(InvoiceScreen(invoice.id))

    def action_open(self) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        if (invoice := self.current) is not None:
            self.app.push_screen(InvoiceScreen(invoice.id))

    def action_import_statement(self) -> None:
        def done(report: Any) -> None:
            if report is not None:
                self.changed("payment")
                self.app.push_screen(StatementReportDialog(report))

        self.app.push_screen(StatementDialog(), done)

    def action_stripe_refresh(self) -> None:
        self.notify("Asking Stripe about open payment links…")
        self.call("stripe_refresh", payments.stripe_refresh, self.app)

    def action_scan_chain(self) -> None:
        self.notify("Reading new blocks for payments to the shop…")
        self.call("scan_chain", payments.scan_chain, self.app)

    def done_scan_chain(self, report: Any) -> None:
        self.notify(payments.scan_summary(report))
        self.changed("payment")

    def done_stripe_refresh(self, report: Any) -> None:
        self.notify(payments.refresh_summary(report))
        self.changed("payment")
