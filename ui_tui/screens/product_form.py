"""Add or edit a product."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import BindingType

from invoicer.services.commands import NewProduct, ProductChanges
from ui_tui.actions import bindings_for
from ui_tui.screens.record_form import RecordFormScreen
from ui_tui.widgets.form import FieldSpec

RATE_CLASSES = (
    ("Standard", "standard"),
    ("Reduced", "reduced"),
    ("Second reduced", "reduced2"),
    ("Super-reduced", "super_reduced"),
    ("Parking", "parking"),
    ("Zero", "zero"),
    ("Exempt", "exempt"),
)
SUPPLY_KINDS = (
    ("Goods", "goods"),
    ("Services", "services"),
    ("Electronic services", "electronic_services"),
)

PRODUCT_FIELDS = (
    FieldSpec("name", "Name", required=True, placeholder="Consulting hour"),
    FieldSpec("sku", "SKU"),
    FieldSpec("unit_price", "Unit price (net)", kind="decimal", required=True, placeholder="90.00"),
    FieldSpec("currency", "Currency", placeholder="EUR"),
    FieldSpec("unit_code", "Unit (UN/ECE rec. 20)", placeholder="C62 = piece, HUR = hour"),
    FieldSpec("rate_class", "VAT rate class", kind="choice", choices=RATE_CLASSES),
    FieldSpec("supply_kind", "Kind of supply", kind="choice", choices=SUPPLY_KINDS),
    FieldSpec("art59_service", "Art. 59 service", kind="bool", placeholder="Art. 59 service"),
    FieldSpec("description", "Description"),
)


class ProductFormScreen(RecordFormScreen):
    SCOPE = "product_form"
    MODE = "products"
    FIELDS = PRODUCT_FIELDS
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("product_form")

    def heading(self) -> str:
        return "Edit product" if self.record_id else "New product"

    def on_mount(self) -> None:
        super().on_mount()
        if self.record_id is None:
            self.form.fill({"rate_class": "standard", "supply_kind": "services"})

    def load(self, record_id: str) -> Any:
        return self.services.products.get(record_id)

    def submit(self, values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if v is not None or self.record_id}
        if self.record_id:
            return self.services.products.update(self.record_id, ProductChanges(**values))
        return self.services.products.add(NewProduct(**values))

    def done_save(self, product: Any) -> None:
        self.notify(f"Saved {product.name}.")
        self.changed("product")
        self.dismiss(product.id)
