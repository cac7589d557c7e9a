"""What a statement import did: the credits booked (and why they matched) and the credits
left for a person to record by hand."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from invoicer.services.labels import statement_summary
from ui_tui import format as fmt


class StatementReportDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="statement_report.close"),
    ]
    DEFAULT_CSS = """
    StatementReportDialog { align: center middle; }
    StatementReportDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    StatementReportDialog DataTable {
        height: auto; max-height: 8; margin-bottom: 1; overflow-x: hidden;
    }
    StatementReportDialog .section-title { text-style: bold; }
    """

    def __init__(self, report: Any) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        with Vertical() as box:
            box.border_title = "Bank statement imported"
            box.border_subtitle = "Enter / Esc closes"
            yield Static(
                statement_summary(report),
                id="statement-summary",
            )
            if report.booked:
                yield Static("Matched and booked", classes="section-title")
                booked: DataTable[Any] = DataTable(id="statement-booked", cursor_type="none")
                for label, width in (
                    ("Invoice", 16),
                    ("Amount", 13),
                    ("Matched by", 15),
                    ("Payer", 20),
                ):
                    booked.add_column(label, width=width)
                for match in report.booked:
                    credit = match.credit
                    booked.add_row(
                        match.invoice.number,
                        fmt.money(credit.amount, credit.currency),
                        match.reason,
                        credit.payer_name,
                    )
                yield booked
            if report.unmatched:
                yield Static(
                    "Not matched — record them with the invoice's Payment (p)",
                    classes="section-title",
                )
                unmatched: DataTable[Any] = DataTable(id="statement-unmatched", cursor_type="none")
                for label, width in (
                    ("Date", 10),
                    ("Amount", 13),
                    ("Payer", 18),
                    ("Reference / text", 25),
                ):
                    unmatched.add_column(label, width=width)
                for credit in report.unmatched:
                    unmatched.add_row(
                        fmt.date(credit.booking_date),
                        fmt.money(credit.amount, credit.currency),
                        credit.payer_name,
                        (credit.reference or credit.text)[:60],
                    )
                yield unmatched

    def action_close(self) -> None:
        self.dismiss(None)
