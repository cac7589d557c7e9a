from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from invoicer.services.app import Services
from invoicer.services.commands import CustomerChanges, NewCustomer
from invoicer.services.views import Customer
from ui_qt.dialogs.form_dialog import FormDialog


def customer_dialog(
    svc: Services, customer: Customer | None = None, parent: QWidget | None = None
) -> FormDialog:
    """Add a customer, or edit `customer`."""

    def line(value: str | None) -> QLineEdit:
        return QLineEdit(value or "")

    c = customer
    business = QCheckBox()
    business.setChecked(c.is_business if c else True)
    notes = QPlainTextEdit(c.notes or "" if c else "")
    notes.setMaximumHeight(70)
    fields: list[tuple[str, str, QLineEdit | QCheckBox | QPlainTextEdit]] = [
        ("name", "Name", line(c.name if c else None)),
        ("street", "Street", line(c.street if c else None)),
        ("postcode", "Postcode", line(c.postcode if c else None)),
        ("city", "City", line(c.city if c else None)),
        ("country", "Country (ISO code)", line(c.country if c else None)),
        ("vat_number", "VAT number", line(c.vat_number if c else None)),
        ("peppol_id", "Peppol id (SCHEME:VALUE)", line(c.peppol_id if c else None)),
        ("email", "Email", line(c.email if c else None)),
        ("is_business", "Business customer", business),
        ("notes", "Notes", notes),
    ]
    if c is None:
        return FormDialog(
            "New customer", fields, lambda **v: svc.customers.add(NewCustomer(**v)), parent
        )
    return FormDialog(
        "Edit customer",
        fields,
        lambda **v: svc.customers.update(c.id, CustomerChanges(**v)),
        parent,
    )
