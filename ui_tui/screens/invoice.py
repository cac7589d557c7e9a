"""One invoice: the draft editor (header, lines from the product picker, live totals and the
VAT breakdown from `invoices.preview`) and, once issued, its actions: credit note, payment,
PDF, e-invoice export (UBL, CII, Factur-X), and getting paid: a Stripe card link, a crypto
payment request and the on-chain check of a transaction."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from invoicer.domain.errors import ValidationError
from invoicer.services import labels
from invoicer.services.commands import DraftChanges
from invoicer.services.views import Invoice, Payment
from ui_tui import format as fmt
from ui_tui import mail, payments
from ui_tui.actions import bindings_for
from ui_tui.dialogs.check_tx import CheckTxDialog
from ui_tui.dialogs.choice import ChoiceDialog
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.dialogs.credit import CreditDialog
from ui_tui.dialogs.crypto_request import CryptoRequestDialog
from ui_tui.dialogs.line import LineDialog
from ui_tui.dialogs.payment import PaymentDialog
from ui_tui.dialogs.product_picker import ProductPicker
from ui_tui.documents import export_einvoice, render_pdf
from ui_tui.screens.base import BaseScreen
from ui_tui.widgets.form import FieldSpec, FormField, FormFields
from ui_tui.widgets.nav_bar import NavBar
from ui_tui.widgets.sync_indicator import InvoicerFooter
from ui_tui.widgets.totals import TotalsPanel

HEADER_FIELDS = (
    FieldSpec("issue_date", "Issue date", placeholder="today when issued"),
    FieldSpec("supply_date", "Supply date", placeholder="YYYY-MM-DD"),
    FieldSpec("due_days", "Due in days", kind="int", placeholder="from terms"),
    FieldSpec("buyer_reference", "Buyer reference / PO"),
    FieldSpec("notes", "Notes"),
)
DRAFT_ONLY = {"add_line", "remove_line", "issue", "delete_draft", "save"}
# Actions that ask to be paid: an issued invoice with something left to pay.
WANTS_MONEY = {"payment", "stripe_link", "crypto_request", "check_tx"}
EINVOICE_FORMATS = (
    ("UBL 2.1 XML (Peppol BIS 3.0)", "ubl"),
    ("UBL 2.1 XML (plain EN 16931, no Peppol ids needed)", "ubl-en16931"),
    ("UN/CEFACT CII XML (EN 16931)", "cii"),
    ("Factur-X PDF (the invoice PDF with the CII inside)", "facturx"),
)


class InvoiceScreen(BaseScreen):
    SCOPE = "invoice"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("invoice")

    def __init__(self, invoice_id: str) -> None:
        super().__init__()
        self.invoice_id = invoice_id
        self.invoice: Invoice | None = None
        self.form = FormFields(self, HEADER_FIELDS)

    def compose(self) -> ComposeResult:
        yield NavBar(current="invoices")
        yield Static("Loading…", id="heading", classes="heading")
        with Vertical(id="invoice-body"):
            yield Static("", id="parties", classes="note")
            with Grid(id="header-fields", classes="form-grid"):
                for spec in HEADER_FIELDS:
                    yield FormField(spec)
            lines: DataTable[Any] = DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            lines.add_column("Description", width=26)
            lines.add_column("Qty", width=6)
            lines.add_column("Unit", width=4)
            lines.add_column("Price", width=10)
            lines.add_column("Net", width=11)
            lines.add_column("VAT", width=7)
            yield lines
            yield TotalsPanel(id="totals")
        yield InvoicerFooter()

    def on_mount(self) -> None:
        self.query_one("#lines", DataTable).focus()
        self.reload()

    @property
    def is_draft(self) -> bool:
        return self.invoice is not None and self.invoice.status == "draft"

    def reload(self) -> None:
        self.call("invoice", self._load)

    def _load(self) -> tuple[Invoice, tuple[Payment, ...], tuple[Any, ...], tuple[Any, ...]]:
        invoice = self.services.invoices.get(self.invoice_id)
        if invoice.status == "draft":
            return self.services.invoices.preview(invoice.id), (), (), ()
        sent = mail.history(self.app, invoice.id)
        if invoice.kind != "invoice":
            return invoice, (), (), sent
        paid = tuple(self.services.payments.list(invoice.id))
        return invoice, paid, payments.requests_of(self.app, invoice.id), sent

    def done_invoice(
        self, loaded: tuple[Invoice, tuple[Payment, ...], tuple[Any, ...], tuple[Any, ...]]
    ) -> None:
        invoice, paid, requests, sent = loaded
        first = self.invoice is None
        self.invoice = invoice
        self._show_heading(invoice, paid, requests, sent)
        self.query_one("#header-fields").display = invoice.status == "draft"
        if first and invoice.status == "draft":
            self.form.fill(invoice)
        lines = self.query_one("#lines", DataTable)
        cursor = lines.cursor_row
        lines.clear()
        for line in invoice.lines:
            lines.add_row(
                line.description,
                fmt.quantity(line.quantity),
                line.unit_code or "",
                fmt.price(line.unit_price, invoice.currency, with_code=False),
                fmt.figure(line.net, invoice.currency),
                f"{line.category} {line.rate.normalize():f}%"
                if line.rate is not None
                else str(line.category),
                key=str(line.id),
            )
        if invoice.lines:
            lines.move_cursor(row=min(max(cursor, 0), len(invoice.lines) - 1))
        self.query_one(TotalsPanel).show(invoice)
        self.refresh_bindings()

    def _show_heading(
        self,
        invoice: Invoice,
        payments: tuple[Payment, ...],
        requests: tuple[Any, ...] = (),
        sent: tuple[Any, ...] = (),
    ) -> None:
        kind = "Credit note" if invoice.kind == "credit_note" else "Invoice"
        heading = Text(f"{kind} {invoice.number or '(draft)'}  ", style="bold")
        heading.append_text(fmt.status(invoice.status))
        heading.append(f"   {invoice.buyer.name or invoice.customer_name}")
        self.query_one("#heading", Static).update(heading)
        facts = [
            f"Issued {fmt.date(invoice.issue_date)}" if invoice.number else "Not issued yet",
            f"due {fmt.date(invoice.due_date)}" if invoice.due_date else "",
            f"currency {invoice.currency}",
        ]
        if invoice.credited_invoice_number:
            facts.append(f"credits {invoice.credited_invoice_number}")
        text = " · ".join(f for f in facts if f)
        if payments:
            paid = ", ".join(
                f"{fmt.date(p.date)} {fmt.money(p.amount, invoice.currency)}" for p in payments
            )
            text += f"\nPayments: {paid}"
        for request in requests:
            if request.status == "open":
                text += f"\n{_request_line(request)}"
        for entry in sent:
            text += f"\n{mail.history_line(entry)}"
        # Required notes and warnings, as `invoice show` prints them; a draft shows them from
        # the preview, so the user sees them before issuing.
        for notice in invoice.notices():
            text += f"\n{notice}"
        self.query_one("#parties", Static).update(text)

    # ---------------------------------------------------------------- availability
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        invoice = self.invoice
        if action in DRAFT_ONLY:
            if action == "remove_line":
                return invoice is not None and self.is_draft and bool(invoice.lines)
            return self.is_draft
        if invoice is None:
            return action not in {"credit", "pdf", "export", "send"} | WANTS_MONEY
        issued_invoice = invoice.number is not None and invoice.kind == "invoice"
        if action == "credit":
            return issued_invoice and invoice.status != "credited"
        if action in WANTS_MONEY:
            return issued_invoice and invoice.balance > 0
        if action in {"pdf", "export", "send"}:
            return invoice.number is not None
        return True

    # ---------------------------------------------------------------- draft editing
    def action_save(self) -> None:
        self.form.clear_problems()
        values, invoices = self.form.values(), self.services.invoices
        # The command is built in the worker too: any refusal comes back as a failed call.
        self.call("save", lambda: invoices.update_draft(self.invoice_id, DraftChanges(**values)))

    def done_save(self, _: Any) -> None:
        self.notify("Draft saved.")
        self.changed("invoice")

    def failed_save(self, error: BaseException) -> bool:
        if isinstance(error, ValidationError):
            others = self.form.show_problems(error.problems)
            if others:
                self.notify("\n".join(map(str, others)), severity="error")
            return True
        return False

    def action_add_line(self) -> None:
        def picked(product_id: str | None) -> None:
            if product_id is not None:
                self.app.push_screen(LineDialog(self.invoice_id, product_id), self._line_added)

        self.app.push_screen(ProductPicker(), picked)

    def _line_added(self, invoice: Any) -> None:
        if invoice is not None:
            self.reload()
            self.changed("invoice")

    def action_remove_line(self) -> None:
        lines = self.query_one("#lines", DataTable)
        if self.invoice is None or not self.is_draft or not self.invoice.lines:
            return
        line = self.invoice.lines[lines.cursor_row]
        self.call("line_removed", self.services.invoices.remove_line, self.invoice_id, line.id)

    def done_line_removed(self, _: Any) -> None:
        self.notify("Line removed.")
        self.reload()
        self.changed("invoice")

    def action_issue(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.call("issued", self._save_and_issue, self.form.values())

        self.app.push_screen(
            ConfirmDialog(
                "Issue this invoice?",
                "It gets the next number and can no longer be changed; "
                "corrections are made with a credit note.",
                "Issue",
            ),
            answered,
        )

    def _save_and_issue(self, header: dict[str, Any]) -> Invoice:
        self.services.invoices.update_draft(self.invoice_id, DraftChanges(**header))
        issued: Invoice = self.services.invoices.issue(self.invoice_id)
        return issued

    def done_issued(self, invoice: Invoice) -> None:
        self.notify(
            labels.issued(invoice.number, invoice.gross, invoice.currency, invoice.due_date)
        )
        for warning in invoice.warnings:
            self.notify(warning, title="Warning", severity="warning", timeout=12)
        self.reload()
        self.changed("invoice")

    def failed_issued(self, error: BaseException) -> bool:
        return self.failed_save(error)

    def action_delete_draft(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.call("deleted", self.services.invoices.delete_draft, self.invoice_id)

        self.app.push_screen(ConfirmDialog("Delete this draft?", "", "Delete"), answered)

    def done_deleted(self, _: Any) -> None:
        self.notify("Draft deleted.")
        self.changed("invoice")
        self.dismiss(None)

    # ---------------------------------------------------------------- issued invoices
    def action_credit(self) -> None:
        def done(credit_note: Any) -> None:
            if credit_note is not None:
                self.notify(f"Credit note {credit_note.number} issued.")
                self.reload()
                self.changed("invoice")

        self.app.push_screen(CreditDialog(self.invoice), done)

    def action_payment(self) -> None:
        def done(payment: Any) -> None:
            if payment is not None:
                self.notify("Payment recorded.")
                self.reload()
                self.changed("payment")

        self.app.push_screen(PaymentDialog(self.invoice), done)

    def action_pdf(self) -> None:
        self.notify("Rendering the PDF…")
        self.call("pdf", render_pdf, self.app, self.invoice)

    def done_pdf(self, path: Any) -> None:
        self.notify(f"PDF saved to {path}")

    def action_export(self) -> None:
        def picked(fmt: str | None) -> None:
            if fmt is not None:
                self.notify(f"Writing the {fmt.upper()} e-invoice…")
                self.call("export", export_einvoice, self.app, self.invoice, fmt)

        self.app.push_screen(ChoiceDialog("E-invoice format", EINVOICE_FORMATS), picked)

    def done_export(self, path: Any) -> None:
        self.notify(f"E-invoice saved to {path}")

    def action_send(self) -> None:
        self.notify("Sending the e-mail…")
        self.call("send", mail.send, self.app, self.invoice_id)

    def done_send(self, sent: Any) -> None:
        self.notify(mail.outcome(sent))
        self.reload()

    def failed_send(self, error: BaseException) -> bool:
        self.reload()  # the failed attempt is in the history now
        return False  # and the error is shown as every other one

    # ---------------------------------------------------------------- getting paid
    def action_stripe_link(self) -> None:
        self.notify("Asking Stripe for a payment link…")
        self.call("stripe_link", payments.stripe_link, self.app, self.invoice_id)

    def done_stripe_link(self, request: Any) -> None:
        self.notify(f"Card payment link: {request.url}", timeout=20)
        self.reload()

    def action_stripe_refresh(self) -> None:
        self.notify("Asking Stripe about open payment links…")
        self.call("stripe_refresh", payments.stripe_refresh, self.app)

    def done_stripe_refresh(self, report: Any) -> None:
        self.notify(payments.refresh_summary(report))
        self.reload()
        self.changed("payment")

    def action_crypto_request(self) -> None:
        self.call("assets", payments.accepted_assets)

    def done_assets(self, assets: tuple[str, ...]) -> None:
        def done(request: Any) -> None:
            if request is not None:
                self.notify(f"Crypto request: {request.details['text']}", timeout=20)
                self.reload()

        self.app.push_screen(CryptoRequestDialog(self.invoice, assets), done)

    def action_check_tx(self) -> None:
        def done(checked: Any) -> None:
            if checked is not None:
                payment, check = checked.payment, checked.check
                self.notify(labels.transaction_booked(payment, check, locale=fmt.locale()))
                self.reload()
                self.changed("payment")

        self.app.push_screen(CheckTxDialog(self.invoice), done)

    def action_back(self) -> None:
        self.dismiss(None)


def _request_line(request: Any) -> str:
    if request.provider == "stripe":
        return f"Card payment link: {request.url}"
    return f"Crypto request: {request.details.get('text', '')}\n{request.url}"
