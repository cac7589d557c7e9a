"""Import a bank statement (CAMT.053 XML or CSV): the file's path, then the service books it."""

from __future__ import annotations

from typing import Any

from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.payments import import_statement
from ui_tui.widgets.form import FieldSpec


class StatementDialog(FormDialog):
    TITLE = "Import a bank statement"
    OK = "Import"
    FIELDS = (
        FieldSpec("file", "Statement file", required=True, placeholder="~/Downloads/camt053.xml"),
    )

    def intro(self) -> str:
        return (
            "Credits that name an invoice's reference or number, or pay its exact amount from "
            "its customer, are booked; importing the same file again books nothing twice."
        )

    def submit(self, values: dict[str, Any]) -> Any:
        return import_statement(self.app, values["file"])
