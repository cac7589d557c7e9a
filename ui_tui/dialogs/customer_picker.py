"""Pick a customer: returns (id, name), or None when cancelled."""

from __future__ import annotations

from typing import Any

from ui_tui.dialogs.picker import LIMIT, PickerDialog


class CustomerPicker(PickerDialog[tuple[str, str] | None]):
    TITLE = "Pick a customer"
    COLUMNS = (("Name", 30), ("Country", 7), ("VAT number", 16), ("City", 14))

    def __init__(self, title: str | None = None, *, allow_any: bool = False) -> None:
        super().__init__(title)
        self.allow_any = allow_any

    def fetch(self, search: str | None) -> Any:
        return self.services.customers.list(search=search, limit=LIMIT)

    def row(self, item: Any) -> tuple[Any, ...]:
        return (item.name, item.country or "", item.vat_number or "", item.city or "")

    def result(self, item: Any) -> tuple[str, str] | None:
        return (item.id, item.name)
