"""Verify a crypto transaction on chain against the invoice's request, and book it."""

from __future__ import annotations

from typing import Any

from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.payments import check_transaction
from ui_tui.widgets.form import FieldSpec


class CheckTxDialog(FormDialog):
    TITLE = "Check a crypto transaction"
    OK = "Check"
    FIELDS = (FieldSpec("tx_hash", "Transaction hash", required=True, placeholder="0x…"),)

    def __init__(self, invoice: Any) -> None:
        super().__init__()
        self.invoice = invoice

    def intro(self) -> str:
        return (
            f"{self.invoice.number}: the transaction must pay the shop's address, "
            "have enough confirmations and not have paid another invoice."
        )

    def submit(self, values: dict[str, Any]) -> Any:
        return check_transaction(self.app, self.invoice.id, values["tx_hash"])
