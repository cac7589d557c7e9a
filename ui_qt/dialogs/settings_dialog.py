"""Settings: the shop profile (all fields) and the keyring secrets as write-only fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from ui_qt.dialogs.errors import error_text
from ui_qt.dialogs.form_dialog import combo, value_of
from ui_qt.dialogs.setup_wizard import VAT_STATUSES
from ui_qt.widgets.naming import named
from ui_qt.workers import run_in_thread

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


class SettingsDialog(QDialog):
    secrets_loaded = Signal()

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(520)
        shop = svc.shop.get()
        self.fields: dict[str, Any] = {}
        tabs = QTabWidget()
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
        tabs.addTab(self._secrets_page(), self.tr("Secrets"))
        self.problems = named(QLabel(), "problems")
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

    def _secrets_page(self) -> QWidget:
        """Write-only fields: they show whether a secret is set, never its value."""
        from invoicer.integrations.secrets import SECRETS

        page = QWidget()
        form = QFormLayout(page)
        self.keyring_status = named(QLabel(self.tr("Checking the keyring…")), "keyringStatus")
        self.keyring_status.setWordWrap(True)
        form.addRow(self.keyring_status)
        self.secret_edits: dict[str, QLineEdit] = {}
        for name, purpose in SECRETS.items():
            edit = named(QLineEdit(), name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setEnabled(False)
            self.secret_edits[name] = edit
            form.addRow(self.tr(purpose), edit)
        # The keyring may talk to D-Bus: ask in a worker, never on the GUI thread.
        from invoicer.integrations.secrets import status

        self.secrets_worker = run_in_thread(status, self._show_secrets, self._keyring_failed)
        return page

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
            edit.setEnabled(True)
            edit.setPlaceholderText(
                self.tr("set – type to replace") if status.stored.get(name) else self.tr("not set")
            )
        self.secrets_loaded.emit()

    def _keyring_failed(self, exc: BaseException) -> None:
        self.keyring_status.setText(error_text(exc))

    def accept(self) -> None:
        from invoicer.integrations.secrets import set_secret

        values = {
            name: w.value() if isinstance(w, QSpinBox) else value_of(w)
            for name, w in self.fields.items()
        }
        try:
            self.svc.shop.save(**values)
            for name, edit in self.secret_edits.items():
                if edit.isEnabled() and edit.text():
                    set_secret(name, edit.text())
                    edit.clear()
        except InvoicerError as exc:
            self.problems.setText(error_text(exc))
            return
        super().accept()
