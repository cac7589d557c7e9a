"""Add or edit a customer; F8 asks VIES whether the VAT number is valid."""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from invoicer.services.commands import CustomerChanges, NewCustomer
from ui_tui.actions import bindings_for
from ui_tui.screens.record_form import RecordFormScreen
from ui_tui.widgets.form import FieldSpec

CUSTOMER_FIELDS = (
    FieldSpec("name", "Name", required=True, placeholder="Müller GmbH"),
    FieldSpec("is_business", "Business customer", kind="bool", placeholder="Is a business"),
    FieldSpec("street", "Street"),
    FieldSpec("postcode", "Postcode"),
    FieldSpec("city", "City"),
    FieldSpec("country", "Country (ISO code)", required=True, placeholder="DE"),
    FieldSpec("vat_number", "VAT number", placeholder="DE123456789"),
    FieldSpec("peppol_id", "Peppol id", placeholder="0208:0403019261 (default: from the VAT no.)"),
    FieldSpec("email", "Email"),
    FieldSpec("language", "Invoice language", placeholder="en"),
    FieldSpec("currency", "Currency", placeholder="EUR"),
    FieldSpec("payment_terms_days", "Payment terms (days)", kind="int", placeholder="14"),
    FieldSpec("notes", "Notes"),
)


def vies_available() -> bool:
    """The integrations team adds the VIES service; until then the action says so."""
    return importlib.util.find_spec("invoicer.services.vies_checks") is not None


class CustomerFormScreen(RecordFormScreen):
    SCOPE = "customer_form"
    MODE = "customers"
    FIELDS = CUSTOMER_FIELDS
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("customer_form")

    def heading(self) -> str:
        return "Edit customer" if self.record_id else "New customer"

    def compose_after_fields(self) -> ComposeResult:
        yield Static("", id="vies-status", classes="note")

    def load(self, record_id: str) -> Any:
        return self.services.customers.get(record_id)

    def done_load(self, record: Any) -> None:
        super().done_load(record)
        self._show_vies(record)

    def _show_vies(self, customer: Any) -> None:
        status = self.query_one("#vies-status", Static)
        if not getattr(customer, "vat_number", None):
            status.update("")
        elif getattr(customer, "vies_checked_at", None) is None:
            status.update("VIES: not checked yet (F8 checks it).")
        else:
            verdict = "valid" if customer.vies_valid else "NOT valid"
            name = f" — {customer.vies_name}" if getattr(customer, "vies_name", None) else ""
            status.update(f"VIES: {verdict} on {customer.vies_checked_at:%Y-%m-%d %H:%M}{name}")

    def submit(self, values: dict[str, Any]) -> Any:
        values = {k: v for k, v in values.items() if v is not None or self.record_id}
        if self.record_id:
            return self.services.customers.update(self.record_id, CustomerChanges(**values))
        return self.services.customers.add(NewCustomer(**values))

    def done_save(self, customer: Any) -> None:
        self.notify(f"Saved {customer.name}.")
        self.changed("customer")
        self.dismiss(customer.id)

    def action_vies(self) -> None:
        self.notify("Asking VIES…", timeout=3)
        if not vies_available():
            self.notify(
                "VIES not configured: this build has no VIES service yet. "
                "The VAT number is still checked for its format when you save.",
                title="VIES",
                severity="warning",
                timeout=8,
            )
            return
        if self.record_id is None:
            self.notify("Save the customer first, then check the VAT number.")
            return
        self.call("vies", self._check_vies, self.record_id)

    def _check_vies(self, customer_id: str) -> Any:
        from invoicer.services.vies_checks import check_customer

        customer, _result = check_customer(self.services, customer_id)
        return customer

    def done_vies(self, customer: Any) -> None:
        self._show_vies(customer)
        self.notify("VIES: " + ("valid" if customer.vies_valid else "NOT valid"))
        self.changed("customer")
