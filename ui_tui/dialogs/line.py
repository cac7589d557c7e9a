"""Quantity (and optionally another price) for a picked product; adds the line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.services.commands import NewLine
from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.widgets.form import FieldSpec


class LineDialog(FormDialog):
    TITLE = "Add line"
    OK = "Add"
    FIELDS = (
        FieldSpec("quantity", "Quantity", kind="decimal", required=True),
        FieldSpec("unit_price", "Unit price (empty = the product's price)", kind="decimal"),
        FieldSpec("description", "Description (empty = the product's name)"),
    )

    def __init__(self, invoice_id: str, product_id: str) -> None:
        super().__init__()
        self.invoice_id, self.product_id = invoice_id, product_id

    def defaults(self) -> dict[str, Any]:
        return {"quantity": Decimal(1)}

    def submit(self, values: dict[str, Any]) -> Any:
        extra = {k: v for k, v in values.items() if v is not None and k != "quantity"}
        quantity = values["quantity"] if values["quantity"] is not None else ""
        return self.services.invoices.add_line(
            self.invoice_id, NewLine(product_id=self.product_id, quantity=quantity, **extra)
        )
