"""F5 Products: the catalogue the invoice editor picks from."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from ui_tui import format as fmt
from ui_tui.actions import bindings_for
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.screens.product_form import ProductFormScreen
from ui_tui.screens.record_list import RecordListScreen


class ProductsScreen(RecordListScreen):
    SCOPE = "products"
    MODE = "products"
    NOUN = "products"
    SEARCH_HINT = "Search products by name, SKU or description  ( / )"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("products")
    COLUMNS = (
        ("name", "Name", 24),
        ("sku", "SKU", 8),
        ("price", "Unit price", 14),
        ("unit", "Unit", 4),
        ("rate", "Rate class", 8),
        ("kind", "Supply", 8),
    )

    def fetch(self, offset: int, limit: int) -> Any:
        return self.services.products.list(
            search=self.search_text,
            include_archived=self.include_archived,
            offset=offset,
            limit=limit,
        )

    def row(self, item: Any) -> tuple[Any, ...]:
        name = Text(item.name)
        if getattr(item, "archived", False):
            name.append("  (archived)", style="dim")
        return (
            name,
            item.sku or "",
            fmt.price(item.unit_price, item.currency),
            item.unit_code or "",
            str(item.rate_class).replace("_", " "),
            str(item.supply_kind).replace("_", " "),
        )

    def action_new(self) -> None:
        self.app.push_screen(ProductFormScreen())

    def action_open(self) -> None:
        if (product := self.current) is not None:
            self.app.push_screen(ProductFormScreen(product.id))

    def action_archive(self) -> None:
        product = self.current
        if product is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call("archive", self.services.products.archive, product.id)

        self.app.push_screen(
            ConfirmDialog(
                f"Archive {product.name}?",
                "Archived products stay on past invoices but are no longer offered.",
                "Archive",
            ),
            answered,
        )

    def done_archive(self, _: Any) -> None:
        self.notify("Product archived.")
        self.changed("product")
