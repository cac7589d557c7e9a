"""The lines of the invoice in the editor (preview values from invoices.preview)."""

from __future__ import annotations

from typing import Any

from invoicer.domain.units import unit_name
from invoicer.services.views import InvoiceLine
from ui_qt import format as fmt
from ui_qt.models.paged_table_model import PagedTableModel

COL_DESCRIPTION, COL_QUANTITY, COL_UNIT, COL_PRICE, COL_VAT, COL_NET = range(6)


class LineTableModel(PagedTableModel[InvoiceLine]):
    HEADERS = ("Description", "Quantity", "Unit", "Unit price", "VAT", "Net")
    NUMERIC_COLUMNS = frozenset({COL_QUANTITY, COL_PRICE, COL_VAT, COL_NET})
    currency = ""

    def display(self, item: InvoiceLine, column: int) -> str:
        if column == COL_DESCRIPTION:
            return item.description
        if column == COL_QUANTITY:
            return f"{item.quantity.normalize():f}"
        if column == COL_UNIT:
            return unit_name(item.unit_code)  # "piece", not "C62"
        if column == COL_PRICE:
            return fmt.price(item.unit_price, self.currency)
        if column == COL_VAT:
            if item.rate is None:
                return item.category or ""
            return f"{item.category or ''} {item.rate.normalize():f} %".strip()
        return fmt.money(item.net, self.currency)

    def sort_key(self, item: InvoiceLine, column: int) -> Any:
        return item.position
