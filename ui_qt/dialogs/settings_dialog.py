"""Settings: the shop profile (all fields), the app settings for VIES and payments (the
settings file), the keyring secrets as write-only fields that can be deleted, and sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.commands import SettingsChanges, ShopProfileChanges
from invoicer.services.settings import FIELDS as SETTING_FIELDS
from invoicer.services.settings import SettingsService
from ui_qt.dialogs.errors import error_text
from ui_qt.dialogs.form_dialog import combo, value_of
from ui_qt.dialogs.setup_wizard import VAT_STATUSES
from ui_qt.dialogs.sync_page import SyncPage
from ui_qt.sync_controller import SyncController
from ui_qt.widgets.naming import named
from ui_qt.workers import Worker, run_in_thread

TABS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Shop",
        [
            ("legal_name", "Legal name"),
            ("trading_name", "Trading name"),
            ("street", "Street"),
            ("postcode", "Postcode"),
            ("city", "City"),
            ("country", "Country (ISO code)"),
            ("vat_number", "VAT number"),
            ("registration_number", "Registration number"),
            ("peppol_id", "Peppol id (SCHEME:VALUE)"),
            ("email", "Email"),
            ("phone", "Phone"),
            ("website", "Website"),
            ("logo_path", "Logo file"),
        ],
    ),
    ("Bank", [("iban", "IBAN"), ("bic", "BIC")]),
    (
        "Invoicing",
        [
            ("currency", "Currency"),
            ("language", "Language"),
            ("invoice_number_format", "Invoice numbers"),
            ("credit_note_number_format", "Credit note numbers"),
        ],
    ),
]

# App settings (settings.toml), edited as text so a bad value gets the service's message.
SETTING_TABS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "VIES",
        [
            ("vies_policy", "Without a recent valid check"),
            ("vies_max_age_days", "A check counts for (days)"),
            ("vies_timeout_seconds", "Timeout (seconds)"),
            ("vies_retries", "Retries"),
            ("vies_url", "VIES service URL"),
        ],
    ),
    (
        "Payments",
        [
            ("stripe_api_base", "Stripe API base URL"),
            ("rpc_url", "Blockchain RPC URL"),
            ("chain_id", "Chain id"),
            ("confirmations", "Confirmations required"),
            ("receiving_address", "Receiving address"),
            ("crypto_assets", "Accepted coins"),
        ],
    ),
    (
        "E-mail",
        [
            ("smtp_host", "Mail server"),
            ("smtp_port", "Port"),
            ("smtp_security", "Security"),
            ("smtp_user", "User"),
            ("smtp_timeout_seconds", "Timeout (seconds)"),
            ("smtp_ca_file", "Certificate authority file"),
            ("mail_from", "Sender"),
            ("mail_attach", "E-invoice attached"),
            ("reminder_days", "Reminders (days after due)"),
        ],
    ),
]
HINTS = {
    "crypto_assets": "ETH and tokens as SYMBOL:CONTRACT:DECIMALS:CURRENCY, comma separated, "
    "e.g. ETH, EURC:0x…:6:EUR",
    "confirmations": "Blocks on top of a payment before it counts.",
    "vies_policy": "For reverse-charge and intra-Community invoices.",
    "smtp_security": "starttls (port 587), tls (port 465) or none (a server on this machine).",
    "smtp_user": "The password is the smtp_password secret (Secrets tab).",
    "mail_attach": "auto, ubl, facturx or none.",
    "reminder_days": "e.g. 7,14,30; empty: no reminders.",
}
SYNC_SECRETS = frozenset({"sync_token"})  # svc.sync keeps these
VIES_POLICIES = [("block", "Block the invoice"), ("warn", "Issue it with a warning")]


class SettingsDialog(QDialog):
    secrets_loaded = Signal()
    secret_deleted = Signal(str)

    def __init__(
        self, svc: Services, parent: QWidget | None = None, sync: SyncController | None = None
    ) -> None:
        super().__init__(parent)
        self.svc = svc
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        shop = svc.shop.get()
        self.fields: dict[str, Any] = {}
        tabs = self.tabs = named(QTabWidget(), "tabs")
        for title, rows in TABS:
            page = QWidget()
            form = QFormLayout(page)
            for name, label in rows:
                value = getattr(shop, name, None) if shop else None
                edit = named(QLineEdit("" if value is None else str(value)), name)
                self.fields[name] = edit
                form.addRow(self.tr(label), edit)
            if title == "Invoicing":
                terms = named(QSpinBox(), "payment_terms_days")
                terms.setRange(0, 365)
                terms.setValue(shop.payment_terms_days if shop else 14)
                terms.setSuffix(self.tr(" days"))
                self.fields["payment_terms_days"] = terms
                form.addRow(self.tr("Payment terms"), terms)
                status = combo(VAT_STATUSES, shop.vat_status if shop else None)
                self.fields["vat_status"] = status
                form.addRow(self.tr("VAT status"), status)
                oss = named(QCheckBox(), "oss_opt_in")
                oss.setChecked(bool(shop and shop.oss_opt_in))
                self.fields["oss_opt_in"] = oss
                form.addRow(self.tr("One-Stop-Shop opt-in"), oss)
            tabs.addTab(page, self.tr(title))
        self.problems = named(QLabel(), "problems")
        self.problems.setWordWrap(True)
        self.settings = SettingsService()
        self.setting_edits: dict[str, QLineEdit | QComboBox] = {}
        self.setting_values: dict[str, str] = {}
        self._settings_pages(tabs)
        tabs.addTab(self._secrets_page(), self.tr("Secrets"))
        self.sync_page = SyncPage(svc, sync)  # acts at once; Save/Cancel do not apply to it
        tabs.addTab(self.sync_page, self.tr("Sync"))
        self.problems.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def _settings_pages(self, tabs: QTabWidget) -> None:
        try:
            rows = {name: (value, source) for name, value, source, _ in self.settings.describe()}
        except InvoicerError as exc:  # a broken settings file: say so, show the defaults
            self.problems.setText(error_text(exc))
            rows = {name: (f.default, "default") for name, f in SETTING_FIELDS.items()}
        for title, fields in SETTING_TABS:
            page = QWidget()
            form = QFormLayout(page)
            for name, label in fields:
                value, source = rows[name]
                text = "" if value is None else str(value)
                edit: QLineEdit | QComboBox
                if name == "vies_policy":
                    edit = named(combo(VIES_POLICIES, text), name)
                else:
                    edit = named(QLineEdit(text), name)
                    edit.setCursorPosition(0)
                edit.setToolTip(self.tr(SETTING_FIELDS[name].metadata["doc"]))
                if source == "environment":  # the variable wins over the file anyway
                    edit.setEnabled(False)
                    edit.setToolTip(self.tr("Set by INVOICER_{0}").format(name.upper()))
                self.setting_edits[name] = edit
                self.setting_values[name] = text
                form.addRow(self.tr(label), edit)
                if name in HINTS:
                    hint = QLabel(self.tr(HINTS[name]))
                    hint.setWordWrap(True)
                    hint.setEnabled(False)  # drawn in the palette's muted text colour
                    form.addRow("", hint)
            overridden = [n for n, _ in fields if rows[n][1] == "environment"]
            if overridden:
                note = named(QLabel(), f"{title.lower()}_environment")
                note.setWordWrap(True)
                note.setText(
                    self.tr("Greyed out: set by environment variables ({0}), which win.").format(
                        ", ".join(f"INVOICER_{n.upper()}" for n in overridden)
                    )
                )
                form.addRow(note)
            tabs.addTab(page, self.tr(title))

    def changed_settings(self) -> dict[str, str]:
        """Only what the user changed goes to the file (defaults stay defaults)."""
        changed = {}
        for name, edit in self.setting_edits.items():
            text = str(value_of(edit) or "")
            if edit.isEnabled() and text != self.setting_values[name]:
                changed[name] = text
        return changed

    def _secrets_page(self) -> QWidget:
        """Write-only fields: they show whether a secret is set, never its value."""
        from invoicer.integrations.secrets import SECRETS

        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # long labels, wide fields
        self.keyring_status = named(QLabel(self.tr("Checking the keyring…")), "keyringStatus")
        self.keyring_status.setWordWrap(True)
        form.addRow(self.keyring_status)
        self.secret_edits: dict[str, QLineEdit] = {}
        self.secret_states: dict[str, QLabel] = {}
        self.delete_buttons: dict[str, QPushButton] = {}
        self.confirm_box: QMessageBox | None = None
        for name, purpose in SECRETS.items():
            if name in SYNC_SECRETS:
                continue  # the Sync tab's: set by the set-up, useless typed by hand
            edit = named(QLineEdit(), name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setEnabled(False)
            state = named(QLabel("…"), f"{name}_state")
            state.setMinimumWidth(state.fontMetrics().horizontalAdvance(self.tr("not set ")))
            delete = named(QPushButton(self.tr("Delete")), f"{name}_delete")
            delete.setEnabled(False)
            delete.clicked.connect(lambda _=False, n=name: self.confirm_delete(n))
            self.secret_edits[name] = edit
            self.secret_states[name] = state
            self.delete_buttons[name] = delete
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(state)
            row.addWidget(delete)
            form.addRow(self.tr(purpose), row)
        self.secrets_worker: Worker | None = None
        self.load_secrets()
        return page

    def load_secrets(self) -> None:
        # The keyring may talk to D-Bus: ask in a worker, never on the GUI thread.
        from invoicer.integrations.secrets import status

        self.secrets_worker = run_in_thread(status, self._show_secrets, self._keyring_failed)

    def confirm_delete(self, name: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete secret"),
            self.tr("Delete {0} from the keyring? Features that need it stop working.").format(
                name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmDelete")
        box.accepted.connect(lambda: self.delete_secret(name))
        self.confirm_box = box
        box.open()

    def delete_secret(self, name: str) -> None:
        from invoicer.integrations.secrets import delete_secret

        self.delete_buttons[name].setEnabled(False)

        def deleted(_: Any) -> None:
            self.secret_deleted.emit(name)
            self.load_secrets()

        self.secrets_worker = run_in_thread(
            lambda: delete_secret(name), deleted, self._keyring_failed
        )

    def _show_secrets(self, status: Any) -> None:
        if not status.usable:
            self.keyring_status.setText(status.problem or self.tr("No usable keyring."))
            return
        self.keyring_status.setText(
            self.tr("Stored in the system keyring ({0}); never in the database.").format(
                status.backend.rsplit(".", 1)[-1]
            )
        )
        for name, edit in self.secret_edits.items():
            stored = bool(status.stored.get(name))
            edit.setEnabled(True)
            edit.setPlaceholderText(
                self.tr("set – type to replace") if stored else self.tr("not set")
            )
            self.secret_states[name].setText(self.tr("set") if stored else self.tr("not set"))
            self.delete_buttons[name].setEnabled(stored)
        self.secrets_loaded.emit()

    def _keyring_failed(self, exc: BaseException) -> None:
        self.keyring_status.setText(error_text(exc))

    def accept(self) -> None:
        from invoicer.integrations.secrets import set_secret

        values = {
            name: w.value() if isinstance(w, QSpinBox) else value_of(w)
            for name, w in self.fields.items()
        }
        changed = self.changed_settings()
        try:
            # Settings are checked first: a bad one stops the save before anything is written.
            setting_changes = SettingsChanges(**changed)
            self.settings.check(setting_changes)
            self.svc.shop.save(ShopProfileChanges(**values))
            if changed:
                self.settings.set(setting_changes)
                self.svc.reload_settings()  # the services read the settings once, when opened
            for name, edit in self.secret_edits.items():
                if edit.isEnabled() and edit.text():
                    set_secret(name, edit.text())
                    edit.clear()
        except InvoicerError as exc:
            self.problems.setText(error_text(exc))
            return
        super().accept()
