from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLineEdit, QWidget

from invoicer.domain.parsing import PAYMENT_METHODS
from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment
from invoicer.services.views import Invoice
from ui_qt import format as fmt
from ui_qt.dialogs.form_dialog import FormDialog, combo

METHODS = list(PAYMENT_METHODS)  # (code, label): the one list of every front-end


class PaymentDialog(FormDialog):
    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        date_edit = QDateEdit(QDate.fromString(svc.invoices.today().isoformat(), "yyyy-MM-dd"))
        date_edit.setCalendarPopup(True)
        date_edit.setDisplayFormat("yyyy-MM-dd")

        def save(
            amount: str | None,
            date: dt.date,
            method: str,
            reference: str | None,
            overpayment: bool,
        ) -> Any:
            return svc.payments.add(
                invoice.id,
                RecordPayment(
                    amount=amount or "",
                    date=date,
                    method=method,
                    reference=reference,
                    overpayment=overpayment,
                ),
            )

        super().__init__(
            f"Payment for {invoice.number}",
            [
                (
                    "amount",
                    f"Amount ({invoice.currency})",
                    QLineEdit(fmt.editable(invoice.balance)),
                ),
                ("date", "Date", date_edit),
                ("method", "Method", combo(METHODS)),
                ("reference", "Reference", QLineEdit()),
                # As the CLI's --overpayment and the TUI's checkbox: more than the balance is
                # refused unless the user says that is what happened.
                ("overpayment", "", QCheckBox("Allow overpayment (more than the balance)")),
            ],
            save,
            parent,
            in_background=True,
        )
