from __future__ import annotations

from typing import Any

from invoicer.services.views import Customer
from ui_qt.models.paged_table_model import PagedTableModel

COL_NAME, COL_COUNTRY, COL_CITY, COL_VAT, COL_EMAIL = range(5)


class CustomerTableModel(PagedTableModel[Customer]):
    HEADERS = ("Name", "Country", "City", "VAT number", "Email")

    def display(self, item: Customer, column: int) -> str:
        values = (item.name, item.country, item.city, item.vat_number, item.email)
        return values[column] or ""

    def sort_key(self, item: Customer, column: int) -> Any:
        return self.display(item, column).casefold()
