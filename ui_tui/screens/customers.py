"""F4 Customers: search as you type, open to edit, Ctrl+N adds, Delete archives."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType

from ui_tui.actions import bindings_for
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.screens.customer_form import CustomerFormScreen
from ui_tui.screens.record_list import RecordListScreen


def vies_badge(customer: Any) -> Text:
    if not getattr(customer, "vat_number", None):
        return Text("")
    valid = getattr(customer, "vies_valid", None)
    if valid is None:
        return Text("unchecked", style="yellow")
    return Text("valid", style="green") if valid else Text("INVALID", style="bold red")


class CustomersScreen(RecordListScreen):
    SCOPE = "customers"
    MODE = "customers"
    NOUN = "customers"
    SEARCH_HINT = "Search customers by name, email, VAT number or city  ( / )"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("customers")
    COLUMNS = (
        ("name", "Name", 24),
        ("country", "Ctry", 4),
        ("vat", "VAT number", 14),
        ("vies", "VIES", 9),
        ("email", "Email", 17),
    )

    def fetch(self, offset: int, limit: int) -> Any:
        return self.services.customers.list(
            search=self.search_text,
            include_archived=self.include_archived,
            offset=offset,
            limit=limit,
        )

    def row(self, item: Any) -> tuple[Any, ...]:
        name = Text(item.name)
        if getattr(item, "archived", False):
            name.append("  (archived)", style="dim")
        return (name, item.country or "", item.vat_number or "", vies_badge(item), item.email or "")

    def action_new(self) -> None:
        self.app.push_screen(CustomerFormScreen())

    def action_open(self) -> None:
        if (customer := self.current) is not None:
            self.app.push_screen(CustomerFormScreen(customer.id))

    def action_archive(self) -> None:
        customer = self.current
        if customer is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call("archive", self.services.customers.archive, customer.id)

        self.app.push_screen(
            ConfirmDialog(
                f"Archive {customer.name}?",
                "Archived customers keep their invoices but leave the lists.",
                "Archive",
            ),
            answered,
        )

    def done_archive(self, _: Any) -> None:
        self.notify("Customer archived.")
        self.changed("customer")
