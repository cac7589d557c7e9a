"""One invoice: edit a draft (lines, live totals, VAT breakdown) or act on an issued one."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.errors import InvoicerError, ValidationError
from invoicer.services import labels
from invoicer.services.app import Services
from invoicer.services.commands import LineChanges, NewLine
from invoicer.services.views import Invoice, InvoiceLine, Product
from ui_qt import format as fmt
from ui_qt.dialogs.errors import error_text, show_error, show_info
from ui_qt.models.line_table_model import COL_QUANTITY, LineTableModel
from ui_qt.widgets.draft_header import DraftHeader
from ui_qt.widgets.naming import named
from ui_qt.widgets.tables import style_table
from ui_qt.workers import Worker, run_in_thread

Index = QModelIndex | QPersistentModelIndex


class EditableLineModel(LineTableModel):
    """Quantity cells are editable on drafts; an edit is reported, the editor applies it."""

    quantity_edited = Signal(object, object)  # InvoiceLine, the text typed
    editable = False

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() == COL_QUANTITY:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        # As typed: the service reads it (1.234,5 or 1,234.5) and refuses what is ambiguous.
        self.quantity_edited.emit(self.record(index.row()), str(value).strip())
        return True


class InvoiceEditor(QDialog):
    changed = Signal()  # something was saved: lists and dashboard refresh

    def __init__(self, svc: Services, invoice_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.invoice: Invoice = svc.invoices.get(invoice_id)
        self._products: dict[str, Product] = {}
        self.child_dialog: QDialog | None = None
        self.worker: Worker | None = None  # the running network call (Stripe)
        self.write_worker: Worker | None = None  # issuing, in the worker pool
        self.setMinimumSize(820, 560)

        self.header = named(QLabel(), "header")
        self.header.setTextFormat(Qt.TextFormat.RichText)

        # Product entry with a completer fed from products.list(search=...).
        self.product_edit = named(QLineEdit(), "product")
        self.product_edit.setPlaceholderText(self.tr("Product or description…"))
        self.completion_model = QStringListModel(self)
        self.completer = QCompleter(self.completion_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.product_edit.setCompleter(self.completer)
        self.product_edit.textEdited.connect(self._complete)
        self.quantity_edit = named(QLineEdit("1"), "quantity")
        self.quantity_edit.setMaximumWidth(80)
        self.price_edit = named(QLineEdit(), "price")
        self.price_edit.setPlaceholderText(self.tr("price (blank: product's)"))
        self.price_edit.setMaximumWidth(160)
        self.add_button = named(QPushButton(self.tr("&Add line")), "addLine")
        self.add_button.clicked.connect(self.add_line)
        self.quantity_edit.returnPressed.connect(self.add_line)
        self.price_edit.returnPressed.connect(self.add_line)
        entry = QHBoxLayout()
        entry.addWidget(self.product_edit, 3)
        entry.addWidget(self.quantity_edit)
        entry.addWidget(self.price_edit)
        entry.addWidget(self.add_button)
        self.entry_box = QWidget()
        self.entry_box.setLayout(entry)
        self.draft_header = DraftHeader(svc)
        self.draft_header.failed.connect(lambda exc: show_error(self, exc))
        self.draft_header.saved.connect(self._refresh)  # currency or dates change the totals

        self.lines = EditableLineModel()
        self.lines.quantity_edited.connect(self._set_quantity)
        self.table = named(QTableView(), "lines")
        self.table.setModel(self.lines)
        style_table(self.table, 0)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected_line)

        self.totals = named(QLabel(), "totals")
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.breakdown = named(QLabel(), "vatBreakdown")
        self.breakdown.setTextFormat(Qt.TextFormat.RichText)
        vat_box = QGroupBox(self.tr("VAT breakdown"))
        QVBoxLayout(vat_box).addWidget(self.breakdown)
        totals_row = QHBoxLayout()
        totals_row.addWidget(vat_box, 3)
        totals_row.addStretch(1)
        totals_row.addWidget(self.totals, 2)
        self.notes = named(QLabel(), "notes")
        self.notes.setWordWrap(True)
        # Issued invoices: payments booked so far and the payment links offered.
        self.payments = named(QLabel(), "payments")
        self.payments.setTextFormat(Qt.TextFormat.RichText)
        self.payments.setWordWrap(True)
        self.payments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.payments_box = QGroupBox(self.tr("Payments"))
        QVBoxLayout(self.payments_box).addWidget(self.payments)
        # Issued documents: the e-mails sent of it (the sent log), oldest first.
        self.mail = named(QLabel(), "mail")
        self.mail.setWordWrap(True)
        self.mail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pay_buttons = QHBoxLayout()
        self.busy = named(QLabel(), "busy")
        self.pay_buttons.addWidget(self.busy, 1)

        self.buttons = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for name, label, slot in [
            ("remove", self.tr("&Remove line"), self.remove_selected_line),
            ("delete", self.tr("Delete draft"), self.delete_draft),
            ("issue", self.tr("&Issue…"), self.issue),
            ("pdf", self.tr("&PDF preview"), self.preview_pdf),
            ("export", self.tr("&E-invoice…"), self.export_einvoice),
            ("send", self.tr("Send by e-&mail"), self.send_by_mail),
            ("payment", self.tr("Record pa&yment…"), self.record_payment),
            ("credit", self.tr("&Credit note…"), self.credit),
            ("close", self.tr("Close"), self.accept),
        ]:
            button = named(QPushButton(label), name)
            button.clicked.connect(slot)
            self.action_buttons[name] = button
            self.buttons.addWidget(button)
            if name == "delete":
                self.buttons.addStretch(1)
        for name, label, slot in [
            ("cardLink", self.tr("Create card payment &link"), self.create_card_link),
            ("cryptoRequest", self.tr("Create crypto payment re&quest…"), self.crypto_request),
            ("checkTx", self.tr("Check crypto &transaction…"), self.check_transaction),
        ]:
            button = named(QPushButton(label), name)
            button.clicked.connect(slot)
            self.action_buttons[name] = button
            self.pay_buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.draft_header)
        layout.addWidget(self.entry_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(totals_row)
        layout.addWidget(self.notes)
        layout.addWidget(self.payments_box)
        layout.addWidget(self.mail)
        layout.addLayout(self.pay_buttons)
        layout.addLayout(self.buttons)
        self._refresh(emit=False)

    # -- state --------------------------------------------------------------------------
    @property
    def is_draft(self) -> bool:
        return self.invoice.status == "draft"

    def show_invoice(self, invoice: Invoice) -> None:
        self.invoice = invoice
        draft = self.is_draft
        kind = self.tr("Credit note") if invoice.kind == "credit_note" else self.tr("Invoice")
        number = invoice.number or self.tr("draft")
        self.setWindowTitle(f"{kind} {number} – {invoice.customer_name}")
        status = self.tr(fmt.status_label(invoice.status))
        dates = ""
        if invoice.issue_date:
            dates = self.tr("issued {0}, due {1}").format(
                fmt.date(invoice.issue_date), fmt.date(invoice.due_date) or "–"
            )
        self.header.setText(
            f"<h2>{kind} {number}</h2><p><b>{invoice.customer_name}</b> · {status} {dates}</p>"
        )
        self.entry_box.setVisible(draft)
        self.draft_header.setVisible(draft)
        if draft:
            self.draft_header.show_invoice(invoice)
        self.lines.editable = draft
        self.lines.currency = invoice.currency
        self.lines.set_rows(invoice.lines)
        self._show_totals(invoice)
        issued_invoice = not draft and invoice.kind == "invoice"
        payable = issued_invoice and invoice.balance > 0
        self.payments_box.setVisible(issued_invoice)
        if issued_invoice:
            self._show_payments(invoice)
        visible = {
            "remove": draft,
            "delete": draft,
            "issue": draft,
            "pdf": not draft,
            "export": not draft,
            "send": not draft,
            "payment": issued_invoice and invoice.balance > 0,
            "credit": issued_invoice and invoice.status != "credited",
            "cardLink": payable,
            "cryptoRequest": payable,
            "checkTx": payable,
        }
        for name, show in visible.items():
            self.action_buttons[name].setVisible(show)
        self._show_mail(invoice)

    def _show_mail(self, invoice: Invoice) -> None:
        from invoicer.services.mail.sent_log import describe

        sent = [] if invoice.status == "draft" else self.svc.mail.history(invoice.id)
        self.mail.setVisible(bool(sent))
        self.mail.setText("\n".join(self.tr("E-mail {0}").format(describe(e)) for e in sent))

    def _show_totals(self, invoice: Invoice) -> None:
        cur = invoice.currency
        rows = [
            (self.tr("Net"), invoice.net),
            (self.tr("VAT"), invoice.vat),
            (self.tr("Total"), invoice.gross),
        ]
        if invoice.status != "draft" and invoice.kind == "invoice":
            rows += [(self.tr("Paid"), invoice.paid), (self.tr("Balance due"), invoice.balance)]
        self.totals.setText(
            "<table cellspacing=4 align=right>"
            + "".join(
                f"<tr><td align=right>{label}</td><td align=right>"
                + (f"<b>{fmt.money(v, cur)}</b>" if bold else fmt.money(v, cur))
                + "</td></tr>"
                for (label, v), bold in zip(rows, [False, False, True, False, True], strict=False)
            )
            + "</table>"
        )
        groups = "".join(
            f"<tr><td>{g.category}</td><td align=right>{g.rate.normalize():f} %</td>"
            f"<td align=right>{fmt.money(g.taxable, cur)}</td>"
            f"<td align=right>{fmt.money(g.tax, cur)}</td>"
            f"<td>{g.exemption_text or ''}</td></tr>"
            for g in invoice.vat_groups
        )
        head = self.tr("<tr><th>Cat.</th><th>Rate</th><th>Taxable</th><th>VAT</th><th></th></tr>")
        self.breakdown.setText(f"<table cellspacing=6>{head}{groups}</table>")
        self.notes.setText("\n".join(invoice.notices()))

    def _show_payments(self, invoice: Invoice) -> None:
        from invoicer.services.payment_requests import for_invoice

        cur = invoice.currency
        rows = [
            f"<tr><td>{fmt.date(p.date)}</td><td align=right>{fmt.money(p.amount, cur)}</td>"
            f"<td>{self.tr(p.method.replace('_', ' '))}</td><td>{escape(p.reference or '')}</td>"
            "</tr>"
            for p in self.svc.payments.list(invoice.id)
        ]
        kinds = {"stripe": self.tr("Card link"), "crypto": self.tr("Crypto request")}
        offered = [
            f"<tr><td colspan=2>{kinds[r.provider]} ({self.tr(r.status)})</td><td colspan=2>"
            f"{escape(str(r.details.get('text', '')))}<br>{escape(r.url)}</td></tr>"
            for provider in kinds
            for r in for_invoice(self.svc, invoice.id, provider)
        ]
        if not rows and not offered:
            self.payments.setText(self.tr("No payments yet."))
            return
        self.payments.setText(f"<table cellspacing=6>{''.join(rows + offered)}</table>")

    def _refresh(self, emit: bool = True) -> None:
        fresh = self.svc.invoices.get(self.invoice.id)
        problem = ""
        if fresh.status == "draft":
            try:
                fresh = self.svc.invoices.preview(fresh.id)
            except InvoicerError as exc:
                # The lines are kept; the draft cannot be priced until this is fixed.
                problem = error_text(exc)
        self.show_invoice(fresh)
        if problem:
            self.notes.setText(problem)
        if emit:
            self.changed.emit()

    # -- draft editing ------------------------------------------------------------------
    def _complete(self, text: str) -> None:
        page = self.svc.products.list(search=text or None, limit=20)
        self._products = {p.name: p for p in page.items}
        self.completion_model.setStringList(list(self._products))

    def add_line(self) -> None:
        text = self.product_edit.text().strip()
        if not text:
            return
        if not self._products:
            self._complete(text)
        product = self._products.get(text)
        # The text as typed: the services read it with the one parser of every front-end.
        fields: dict[str, Any] = {"quantity": self.quantity_edit.text().strip() or "1"}
        if self.price_edit.text().strip():
            fields["unit_price"] = self.price_edit.text().strip()
        if product is not None:
            fields["product_id"] = product.id
        else:
            fields["description"] = text
        try:
            self.svc.invoices.add_line(self.invoice.id, NewLine(**fields))
        except InvoicerError as exc:
            show_error(self, exc)
            return
        self.product_edit.clear()
        self.quantity_edit.setText("1")
        self.price_edit.clear()
        self.product_edit.setFocus()
        self._refresh()

    def _set_quantity(self, line: InvoiceLine, quantity: Decimal | str) -> None:
        try:
            self.svc.invoices.update_line(self.invoice.id, line.id, LineChanges(quantity=quantity))
        except InvoicerError as exc:
            show_error(self, exc)
            return
        self._refresh()

    def remove_selected_line(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not self.is_draft or not rows:
            return
        self.svc.invoices.remove_line(self.invoice.id, self.lines.record(rows[0].row()).id)
        self._refresh()

    def delete_draft(self) -> None:
        answer = QMessageBox.question(self, self.tr("Delete draft"), self.tr("Delete this draft?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.svc.invoices.delete_draft(self.invoice.id)
            self.changed.emit()
            self.accept()

    def issue(self) -> None:
        if not self.invoice.lines:
            show_error(self, ValidationError.single("lines", "required", "Add a line first."))
            return
        question = self.tr(
            "Issue this invoice for {total}?\n\nIt gets its number now and can no longer be "
            "changed; mistakes are corrected with a credit note."
        ).format(total=fmt.money(self.invoice.gross, self.invoice.currency))
        answer = QMessageBox.question(self, self.tr("Issue invoice"), question)
        if answer != QMessageBox.StandardButton.Yes or self.write_worker is not None:
            return
        # Issuing writes (number, frozen document, audit): in the worker pool, so a slow disk
        # never freezes the window; the editor shows the issued invoice when it is done.
        invoice_id = self.invoice.id
        self._set_busy(self.tr("Issuing…"))
        self.action_buttons["issue"].setEnabled(False)
        self.write_worker = run_in_thread(
            lambda: self.svc.invoices.issue(invoice_id), self._issued, self._issue_failed
        )

    def _issued(self, invoice: Invoice) -> None:
        self.write_worker = None
        self._set_busy("")
        self.action_buttons["issue"].setEnabled(True)
        self.invoice = invoice
        self._refresh()

    def _issue_failed(self, exc: BaseException) -> None:
        self.write_worker = None
        self._set_busy("")
        self.action_buttons["issue"].setEnabled(True)
        self.child_dialog = show_error(self, exc)

    # -- issued documents ---------------------------------------------------------------
    def preview_pdf(self) -> None:
        from ui_qt.dialogs.pdf_preview import PdfPreview

        self.child_dialog = PdfPreview(self.svc, self.invoice, self)
        self.child_dialog.open()

    def export_einvoice(self) -> None:
        from ui_qt.dialogs.export_dialog import ExportDialog

        self.child_dialog = ExportDialog(self.svc, self.invoice, self)
        self.child_dialog.open()

    def send_by_mail(self) -> None:
        """The mail server is on the network: send in a worker; the answer comes by signal."""
        self.action_buttons["send"].setEnabled(False)
        self._set_busy(self.tr("Sending the e-mail…"))
        invoice_id = self.invoice.id
        self.worker = run_in_thread(
            lambda: self.svc.mail.send_invoice(invoice_id), self._sent, self._send_failed
        )

    def _sent(self, sent: Any) -> None:
        self._set_busy("")
        self.action_buttons["send"].setEnabled(True)
        self._refresh()
        people = ", ".join(sent.entry.recipients)
        text = (
            self.tr("This e-mail was already sent to {0}; nothing was sent now.")
            if sent.already
            else self.tr("E-mail sent to {0}.")
        ).format(people)
        self.child_dialog = show_info(self, self.tr("E-mail"), text)

    def _send_failed(self, exc: BaseException) -> None:
        self.action_buttons["send"].setEnabled(True)
        self._refresh()  # the failed attempt is in the history now
        self._work_failed(exc)

    def record_payment(self) -> None:
        from ui_qt.dialogs.payment_dialog import PaymentDialog

        dialog = PaymentDialog(self.svc, self.invoice, self)
        dialog.accepted.connect(self._refresh)
        self.child_dialog = dialog
        dialog.open()

    def credit(self) -> None:
        from ui_qt.dialogs.credit_dialog import CreditDialog

        dialog = CreditDialog(self.svc, self.invoice, self)
        dialog.accepted.connect(self._refresh)
        self.child_dialog = dialog
        dialog.open()

    # -- getting paid -------------------------------------------------------------------
    def _set_busy(self, text: str) -> None:
        self.busy.setText(text)
        for name in ("cardLink", "cryptoRequest", "checkTx"):
            self.action_buttons[name].setEnabled(not text)

    def create_card_link(self) -> None:
        """Stripe is on the network: ask in a worker; the answer comes back by signal."""
        from invoicer.services.payments_stripe import create_link, prepare

        prepare()  # on the GUI thread: a first import in a worker can crash Qt
        self._set_busy(self.tr("Asking Stripe for a payment link…"))
        invoice_id = self.invoice.id
        self.worker = run_in_thread(
            lambda: create_link(self.svc, invoice_id), self._card_link_done, self._work_failed
        )

    def _card_link_done(self, request: Any) -> None:
        from ui_qt.dialogs.link_dialog import LinkDialog

        self._set_busy("")
        self._refresh()
        self.child_dialog = LinkDialog(
            self.tr("Card payment link for {0}").format(self.invoice.number),
            self.tr(
                "Send this link to the customer; it is printed on the PDF as a link and QR "
                "code. Use “Refresh card payments” on the Invoices page to record the payment."
            ),
            request.url,
            self,
        )
        self.child_dialog.open()

    def _work_failed(self, exc: BaseException) -> None:
        self._set_busy("")
        self.child_dialog = show_error(self, exc)

    def crypto_request(self) -> None:
        from ui_qt.dialogs.crypto_request_dialog import CryptoRequestDialog
        from ui_qt.dialogs.link_dialog import LinkDialog

        dialog = CryptoRequestDialog(self.svc, self.invoice, self)

        def created() -> None:
            request = dialog.request
            self._refresh()
            if request is not None:
                self.child_dialog = LinkDialog(
                    self.tr("Crypto payment request for {0}").format(self.invoice.number),
                    str(request.details.get("text", "")),
                    request.url,
                    self,
                )
                self.child_dialog.open()

        dialog.accepted.connect(created)
        self.child_dialog = dialog
        dialog.open()

    def check_transaction(self) -> None:
        from ui_qt.dialogs.check_tx_dialog import CheckTxDialog

        dialog = CheckTxDialog(self.svc, self.invoice, self)
        dialog.booked.connect(self._transaction_booked)
        self.child_dialog = dialog
        dialog.open()

    def _transaction_booked(self, result: Any) -> None:
        payment, check = result
        self._refresh()
        self.child_dialog = show_info(
            self,
            self.tr("Payment booked"),
            labels.transaction_booked(payment, check, locale=fmt.locale()),
        )
