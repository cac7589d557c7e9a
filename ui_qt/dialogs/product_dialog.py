from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from invoicer.services.app import Services
from invoicer.services.commands import NewProduct, ProductChanges
from invoicer.services.views import Product
from ui_qt import format as fmt
from ui_qt.dialogs.form_dialog import FormDialog, combo

RATE_CLASSES = [
    ("standard", "Standard rate"),
    ("reduced", "Reduced rate"),
    ("reduced2", "Second reduced rate"),
    ("super_reduced", "Super-reduced rate"),
    ("parking", "Parking rate"),
    ("zero", "Zero rate"),
    ("exempt", "Exempt"),
]
SUPPLY_KINDS = [
    ("goods", "Goods"),
    ("services", "Services"),
    ("electronic_services", "Electronic services"),
]


def product_dialog(
    svc: Services, product: Product | None = None, parent: QWidget | None = None
) -> FormDialog:
    p = product
    art59 = QCheckBox()
    art59.setChecked(p.art59_service if p else False)
    fields: list[tuple[str, str, QLineEdit | QComboBox | QCheckBox]] = [
        ("name", "Name", QLineEdit(p.name if p else "")),
        ("sku", "SKU", QLineEdit(p.sku or "" if p else "")),
        ("unit_price", "Unit price (net)", QLineEdit(fmt.editable(p.unit_price) if p else "")),
        ("unit_code", "Unit (UN/ECE rec 20)", QLineEdit(p.unit_code if p else "C62")),
        ("rate_class", "VAT rate class", combo(RATE_CLASSES, p.rate_class if p else None)),
        ("supply_kind", "Supply", combo(SUPPLY_KINDS, p.supply_kind if p else None)),
        ("art59_service", "Art. 59 service", art59),
    ]
    if p is None:
        return FormDialog(
            "New product", fields, lambda **v: svc.products.add(NewProduct(**v)), parent
        )
    return FormDialog(
        "Edit product", fields, lambda **v: svc.products.update(p.id, ProductChanges(**v)), parent
    )
