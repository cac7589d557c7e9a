"""Quotes (from Invoices: Q, or the palette): the list with each quote's state, and its
steps on the highlighted quote: add a line to a draft, issue, sent, accepted, declined,
and an accepted quote made into a draft invoice (every line; the CLI and API take chosen
lines too). Lines are added from a product, as on a draft invoice."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import BindingType

from invoicer.services.commands import NewLine, NewQuote
from ui_tui import format as fmt
from ui_tui.actions import bindings_for
from ui_tui.dialogs.customer_picker import CustomerPicker
from ui_tui.dialogs.line import LineDialog
from ui_tui.dialogs.product_picker import ProductPicker
from ui_tui.screens.record_list import RecordListScreen


class QuoteLineDialog(LineDialog):
    """The invoice line dialog, adding to a draft quote."""

    def submit(self, values: dict[str, Any]) -> Any:
        extra = {k: v for k, v in values.items() if v is not None and k != "quantity"}
        quantity = values["quantity"] if values["quantity"] is not None else ""
        return self.services.quotes.add_line(
            self.invoice_id, NewLine(product_id=self.product_id, quantity=quantity, **extra)
        )


class QuotesScreen(RecordListScreen):
    SCOPE = "quotes"
    MODE = "quotes"
    NOUN = "quotes"
    SEARCH_HINT = "Quotes, newest first"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("quotes")
    COLUMNS = (
        ("number", "Number", 15),
        ("date", "Date", 10),
        ("valid", "Valid until", 11),
        ("customer", "Customer", 14),
        ("gross", "Gross", 13),
        ("status", "Status", 9),
    )
    FLEX = "customer"

    def fetch(self, offset: int, limit: int) -> Any:
        return self.services.quotes.list(offset=offset, limit=limit)

    def row(self, item: Any) -> tuple[Any, ...]:
        return (
            item.number or "(draft)",
            fmt.date(item.issue_date),
            fmt.date(item.valid_until),
            item.customer_name,
            fmt.amount(item.gross, item.currency),
            item.status,
        )

    def action_new(self) -> None:
        def picked(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.call("created", self.services.quotes.create, NewQuote(customer_id=choice[0]))

        self.app.push_screen(CustomerPicker(title="New quote for which customer?"), picked)

    def done_created(self, quote: Any) -> None:
        self.changed("quote")
        self.reload()
        self._pick_line(quote.id)

    def action_open(self) -> None:
        if (quote := self.current) is not None:
            lines = "\n".join(
                f"{line.position}. {line.description}: {line.quantity} × {line.unit_price}"
                for line in quote.lines
            )
            self.notify(lines or "No lines yet: A adds one.", title=quote.number or "Draft quote")

    def action_add_line(self) -> None:
        if (quote := self.current) is not None:
            self._pick_line(quote.id)

    def _pick_line(self, quote_id: str) -> None:
        def picked(product_id: str | None) -> None:
            if product_id is not None:
                self.app.push_screen(QuoteLineDialog(quote_id, product_id), self._line_added)

        self.app.push_screen(ProductPicker(), picked)

    def _line_added(self, quote: Any) -> None:
        if quote is not None:
            self.changed("quote")
            self.reload()

    def _step(self, step: str) -> None:
        if (quote := self.current) is not None:
            self.call("stepped", getattr(self.services.quotes, step), quote.id)

    def action_issue(self) -> None:
        self._step("issue")

    def action_mark_sent(self) -> None:
        self._step("send")

    def action_accept(self) -> None:
        self._step("accept")

    def action_decline(self) -> None:
        self._step("decline")

    def done_stepped(self, quote: Any) -> None:
        self.notify(f"Quote {quote.number}: {quote.status}.")
        self.changed("quote")
        self.reload()

    def action_to_invoice(self) -> None:
        if (quote := self.current) is not None:
            self.call("converted", self.services.quotes.convert, quote.id)

    def done_converted(self, invoice: Any) -> None:
        self.notify(invoice.notes or "Draft invoice made.", title="Draft invoice")
        self.changed("invoice")
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"add_line", "issue", "mark_sent", "accept", "decline", "to_invoice"}:
            return self.current is not None
        return super().check_action(action, parameters)
