"""F7 Settings: the shop profile (numbering, VAT status, bank details), the VIES policy and the
payment connections (invoicer/services/settings.py), and the secrets in the keyring. The
first-run set-up is the shop part of the same form with a welcome."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from invoicer.domain.errors import ValidationError
from invoicer.services.commands import ShopProfileChanges
from ui_tui import connection_settings as connections
from ui_tui.actions import bindings_for
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.dialogs.secret import SecretDialog
from ui_tui.screens.record_form import RecordFormScreen
from ui_tui.widgets.form import FieldSpec, FormField, FormFields
from ui_tui.widgets.secrets_panel import SECRET_LABELS, SecretsPanel
from ui_tui.widgets.sync_panel import SyncPanel

SYNC_SECRETS = frozenset({"sync_token"})  # svc.sync keeps these (the Sync tab)

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
    FieldSpec("peppol_id", "Peppol id", placeholder="0106:12345678 (default: from the VAT no.)"),
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
            "peppol_id",
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
    HEADING = "Settings — your shop, VIES, payments and secrets (Ctrl+S saves)"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("settings")
    WITH_CONNECTIONS = True  # the first-run set-up asks for the shop only

    def __init__(self, record_id: str | None = None) -> None:
        super().__init__(record_id)
        self.connections = FormFields(self, connections.CONNECTION_FIELDS)
        self.loaded_connections: dict[str, Any] = {}
        self.secret_descriptions: dict[str, str] = {}

    def compose_extra_tabs(self) -> ComposeResult:
        if not self.WITH_CONNECTIONS:
            return
        specs = {spec.name: spec for spec in connections.CONNECTION_FIELDS}
        for title, names in connections.CONNECTION_SECTIONS:
            with (
                TabPane(title, id=f"section-{title.lower()}"),
                VerticalScroll(can_focus=False),
                Grid(classes="form-grid"),
            ):
                for name in names:
                    yield FormField(specs[name])
        with TabPane("Secrets", id="section-secrets"):
            yield SecretsPanel()
        with TabPane("Sync", id="section-sync"):
            yield SyncPanel()

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        self.call("load", self.services.shop.get)
        if self.WITH_CONNECTIONS:
            self.call("connections", connections.load)
            self.reload_secrets()

    def reload_secrets(self) -> None:
        self.call("secrets", _secrets_status)

    def done_load(self, shop: Any) -> None:
        if shop is not None:
            self.form.fill(shop)
        else:
            self.form.fill({"vat_status": "registered", "currency": "EUR", "language": "en"})

    def done_connections(self, loaded: tuple[dict[str, Any], set[str]]) -> None:
        values, from_env = loaded
        self.loaded_connections = values
        self.connections.fill(values)
        for name in from_env:
            self.connections.field(name).show_problem(
                f"Set by INVOICER_{name.upper()}: that variable wins over what is saved here."
            )

    def done_secrets(self, loaded: tuple[Any, dict[str, str]]) -> None:
        status, self.secret_descriptions = loaded
        self.query_one(SecretsPanel).show(status, self.secret_descriptions)
        self.refresh_bindings()

    # ---------------------------------------------------------------- saving
    def action_save(self) -> None:
        if not self.WITH_CONNECTIONS:
            super().action_save()
            return
        self.form.clear_problems()
        self.connections.clear_problems()
        self.query_one("#form-problems", Static).update("")
        shop = {k: v for k, v in self.form.values().items() if v is not None}
        changed = connections.changes(self.loaded_connections, self.connections.values())
        self.call("save", connections.save_all, self.services, shop, changed)

    def submit(self, values: dict[str, Any]) -> Any:
        return self.services.shop.save(
            ShopProfileChanges(**{k: v for k, v in values.items() if v is not None})
        )

    def done_save(self, shop: Any) -> None:
        self.notify("Settings saved.")
        if self.WITH_CONNECTIONS:
            self.call("connections", connections.load)
        self.invoicer.shop_saved(shop.trading_name or shop.legal_name)

    def failed_save(self, error: BaseException) -> bool:
        if not self.WITH_CONNECTIONS or not isinstance(error, ValidationError):
            return super().failed_save(error)
        mine = [p for p in error.problems if p.field in connections.NAMES]
        if not mine:
            return super().failed_save(error)
        self.connections.show_problems(mine)
        for title, names in connections.CONNECTION_SECTIONS:
            if {p.field for p in mine} & set(names):
                self.query_one(TabbedContent).active = f"section-{title.lower()}"
                break
        count = len(mine)
        self.notify(
            f"{count} setting{'s' if count > 1 else ''} to fix; nothing was saved.",
            severity="warning",
        )
        return True

    # ---------------------------------------------------------------- secrets
    @property
    def on_secrets_tab(self) -> bool:
        tabs = self.query(TabbedContent)
        return bool(tabs) and tabs.first().active == "section-secrets"

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#secrets")
    def _secret_highlighted(self) -> None:
        self.refresh_bindings()  # Del only for a secret that is set

    @on(DataTable.RowSelected, "#secrets")
    def _secret_chosen(self) -> None:
        self.action_set_secret()

    def action_set_secret(self) -> None:
        name = self.query_one(SecretsPanel).highlighted
        if name is None:
            return

        def stored(result: str | None) -> None:
            if result is not None:
                self.notify(f"Stored {SECRET_LABELS.get(name, name)} in the keyring.")
                self.reload_secrets()

        self.app.push_screen(SecretDialog(name, SECRET_LABELS.get(name, name)), stored)

    def action_delete_secret(self) -> None:
        name = self.query_one(SecretsPanel).highlighted
        if name is None:
            return
        label = SECRET_LABELS.get(name, name)

        def answered(yes: bool | None) -> None:
            if yes:
                self.call("secret_deleted", _delete_secret, name)

        self.app.push_screen(
            ConfirmDialog(f"Delete the {label}?", "It is removed from the keyring.", "Delete"),
            answered,
        )

    def done_secret_deleted(self, result: tuple[str, bool]) -> None:
        name, removed = result
        label = SECRET_LABELS.get(name, name)
        self.notify(f"Deleted the {label}." if removed else f"The {label} was not set.")
        self.reload_secrets()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return False
        if action in {"set_secret", "delete_secret"}:
            if not self.WITH_CONNECTIONS or not self.on_secrets_tab:
                return False
            if action == "delete_secret":
                panel = self.query_one(SecretsPanel)
                return bool(panel.highlighted and panel.stored.get(panel.highlighted))
        return True


def _secrets_status() -> tuple[Any, dict[str, str]]:
    # The keyring may talk to D-Bus: always in a worker. Same calls as `invoicer secrets`.
    from invoicer.integrations.secrets import SECRETS, status

    # The sync credential is the Sync tab's: set by the set-up, useless typed by hand.
    return status(), {k: v for k, v in SECRETS.items() if k not in SYNC_SECRETS}


def _delete_secret(name: str) -> tuple[str, bool]:
    from invoicer.integrations.secrets import delete_secret

    return name, delete_secret(name)


class SetupScreen(SettingsScreen):
    SCOPE = "setup"
    MODE = "setup"
    WITH_CONNECTIONS = False
    HEADING = "Welcome to Invoicer — first, tell us about your shop"
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("setup")

    def compose_before_fields(self) -> ComposeResult:
        yield Static(
            "These details go on every invoice. Fill in the fields marked * on each tab "
            "(Shop, VAT, Invoicing; Bank is optional), then press Ctrl+S to start. "
            "Everything can be changed later in Settings (F7).",
            classes="note",
        )
