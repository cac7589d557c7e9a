"""Record money received against an issued invoice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.domain.parsing import PAYMENT_METHODS
from invoicer.services.commands import RecordPayment
from ui_tui import format as fmt
from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.widgets.form import FieldSpec

# (label, code), as Textual's Select wants them: the one list of every front-end.
METHODS = tuple((label, code) for code, label in PAYMENT_METHODS)


class PaymentDialog(FormDialog):
    TITLE = "Record a payment"
    OK = "Record"
    FIELDS = (
        FieldSpec("amount", "Amount", kind="decimal", required=True),
        FieldSpec("date", "Date received", required=True, placeholder="YYYY-MM-DD"),
        FieldSpec("method", "Method", kind="choice", choices=METHODS, required=True),
        FieldSpec("reference", "Reference"),
        FieldSpec(
            "overpayment",
            "Accept more than the balance",
            kind="bool",
            placeholder="Allow overpayment",
        ),
    )

    def __init__(self, invoice: Any) -> None:
        super().__init__()
        self.invoice = invoice

    def intro(self) -> str:
        inv = self.invoice
        return f"{inv.number}: balance {fmt.money(inv.balance, inv.currency)}"

    def defaults(self) -> dict[str, Any]:
        today = getattr(self.app, "today", None) or dt.date.today()
        return {
            "amount": self.invoice.balance,
            "date": today.isoformat(),
            "method": "bank_transfer",
        }

    def submit(self, values: dict[str, Any]) -> Any:
        # The date and the amount as typed: the service reads them with the one parser.
        amount = values.pop("amount")
        values = {k: v for k, v in values.items() if v is not None}
        return self.services.payments.add(self.invoice.id, RecordPayment(amount=amount, **values))
