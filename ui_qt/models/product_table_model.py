from __future__ import annotations

from typing import Any

from invoicer.services.views import Product
from ui_qt import format as fmt
from ui_qt.models.paged_table_model import PagedTableModel

COL_NAME, COL_SKU, COL_PRICE, COL_UNIT, COL_RATE, COL_KIND = range(6)


class ProductTableModel(PagedTableModel[Product]):
    HEADERS = ("Name", "SKU", "Unit price", "Unit", "VAT rate class", "Supply")
    NUMERIC_COLUMNS = frozenset({COL_PRICE})

    def display(self, item: Product, column: int) -> str:
        if column == COL_PRICE:
            return fmt.money(item.unit_price, item.currency)
        values = (item.name, item.sku, "", item.unit_code, item.rate_class, item.supply_kind)
        return (values[column] or "").replace("_", " ")

    def sort_key(self, item: Product, column: int) -> Any:
        if column == COL_PRICE:
            return item.unit_price
        return self.display(item, column).casefold()
