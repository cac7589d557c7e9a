"""F7 Settings (the shop profile, numbering, VAT status, bank details) and the first-run
set-up, which is the same form with a welcome."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from ui_tui.actions import bindings_for
from ui_tui.screens.record_form import RecordFormScreen
from ui_tui.widgets.form import FieldSpec

VAT_STATUSES = (
    ("VAT registered", "registered"),
    ("VAT registered + EU OSS", "oss"),
    ("Small business (no VAT charged)", "small_business"),
)

SHOP_FIELDS = (
    FieldSpec("legal_name", "Legal name", required=True, placeholder="Beispiel Handel GmbH"),
    FieldSpec("trading_name", "Trading name"),
    FieldSpec("street", "Street", required=True),
    FieldSpec("postcode", "Postcode", required=True),
    FieldSpec("city", "City", required=True),
    FieldSpec("country", "Country (ISO code)", required=True, placeholder="DE"),
    FieldSpec("vat_status", "VAT status", kind="choice", choices=VAT_STATUSES, required=True),
    FieldSpec("vat_number", "VAT number", placeholder="DE123456789"),
    FieldSpec("registration_number", "Company registration no."),
    FieldSpec(
        "oss_opt_in", "OSS opt-in", kind="bool", placeholder="Tax EU B2C sales at destination"
    ),
    FieldSpec("currency", "Currency", required=True, placeholder="EUR"),
    FieldSpec("language", "Invoice language", placeholder="en"),
    FieldSpec("payment_terms_days", "Payment terms (days)", kind="int", placeholder="14"),
    FieldSpec("iban", "IBAN"),
    FieldSpec("bic", "BIC"),
    FieldSpec("email", "Email"),
    FieldSpec("phone", "Phone"),
    FieldSpec("website", "Website"),
    FieldSpec("invoice_number_format", "Invoice number format", placeholder="INV-{year}-{seq:05}"),
    FieldSpec(
        "credit_note_number_format", "Credit note number format", placeholder="CN-{year}-{seq:05}"
    ),
    FieldSpec(
        "eu_b2c_sales_outside_current_year", "EU B2C sales abroad, this year", kind="decimal"
    ),
    FieldSpec(
        "eu_b2c_sales_outside_previous_year", "EU B2C sales abroad, last year", kind="decimal"
    ),
    FieldSpec("logo_path", "Logo file (PNG/JPEG)"),
)


SHOP_SECTIONS = (
    (
        "Shop",
        (
            "legal_name",
            "trading_name",
            "street",
            "postcode",
            "city",
            "country",
            "email",
            "phone",
            "website",
            "logo_path",
        ),
    ),
    (
        "VAT",
        (
            "vat_status",
            "vat_number",
            "registration_number",
            "oss_opt_in",
            "eu_b2c_sales_outside_current_year",
            "eu_b2c_sales_outside_previous_year",
        ),
    ),
    (
        "Invoicing",
        (
            "currency",
            "language",
            "payment_terms_days",
            "invoice_number_format",
            "credit_note_number_format",
        ),
    ),
    ("Bank", ("iban", "bic")),
)


class SettingsScreen(RecordFormScreen):
    SCOPE = "settings"
    MODE = "settings"
    FIELDS = SHOP_FIELDS
    SECTIONS = SHOP_SECTIONS
    HEADING = "Settings — your shop as it appears on invoices"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("settings")

    def reload(self) -> None:
        self.call("load", self.services.shop.get)

    def done_load(self, shop: Any) -> None:
        if shop is not None:
            self.form.fill(shop)
        else:
            self.form.fill({"vat_status": "registered", "currency": "EUR", "language": "en"})

    def submit(self, values: dict[str, Any]) -> Any:
        return self.services.shop.save(**{k: v for k, v in values.items() if v is not None})

    def done_save(self, shop: Any) -> None:
        self.notify("Shop profile saved.")
        self.app.shop_saved(shop.trading_name or shop.legal_name)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"


class SetupScreen(SettingsScreen):
    SCOPE = "setup"
    MODE = "setup"
    HEADING = "Welcome to Invoicer — first, tell us about your shop"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("setup")

    def compose_before_fields(self) -> ComposeResult:
        yield Static(
            "These details go on every invoice. Fill in the fields marked * on each tab "
            "(Shop, VAT, Invoicing; Bank is optional), then press Ctrl+S to start. "
            "Everything can be changed later in Settings (F7).",
            classes="note",
        )
