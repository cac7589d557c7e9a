"""Pick a product for an invoice line: returns the product id, or None."""

from __future__ import annotations

from typing import Any

from ui_tui import format as fmt
from ui_tui.dialogs.picker import LIMIT, PickerDialog


class ProductPicker(PickerDialog[str | None]):
    TITLE = "Add a line: pick a product"
    COLUMNS = (("Name", 30), ("SKU", 10), ("Unit price", 16), ("Unit", 5))

    def fetch(self, search: str | None) -> Any:
        return self.services.products.list(search=search, limit=LIMIT)

    def row(self, item: Any) -> tuple[Any, ...]:
        return (
            item.name,
            item.sku or "",
            fmt.price(item.unit_price, item.currency),
            item.unit_code or "",
        )

    def result(self, item: Any) -> str | None:
        return str(item.id)
