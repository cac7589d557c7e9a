"""Settings: the shop profile (all fields) and, when available, secrets as write-only fields."""

from __future__ import annotations

from typing import Any

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


def secrets_module() -> Any | None:
    """invoicer.integrations.secrets, once the integrations team has landed it."""
    try:
        import importlib

        return importlib.import_module("invoicer.integrations.secrets")
    except ImportError:
        return None


class SettingsDialog(QDialog):
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
                edit = QLineEdit("" if value is None else str(value), objectName=name)
                self.fields[name] = edit
                form.addRow(self.tr(label), edit)
            if title == "Invoicing":
                terms = QSpinBox(objectName="payment_terms_days")
                terms.setRange(0, 365)
                terms.setValue(shop.payment_terms_days if shop else 14)
                terms.setSuffix(self.tr(" days"))
                self.fields["payment_terms_days"] = terms
                form.addRow(self.tr("Payment terms"), terms)
                status = combo(VAT_STATUSES, shop.vat_status if shop else None)
                self.fields["vat_status"] = status
                form.addRow(self.tr("VAT status"), status)
                oss = QCheckBox(objectName="oss_opt_in")
                oss.setChecked(bool(shop and shop.oss_opt_in))
                self.fields["oss_opt_in"] = oss
                form.addRow(self.tr("One-Stop-Shop opt-in"), oss)
            tabs.addTab(page, self.tr(title))
        tabs.addTab(self._secrets_page(), self.tr("Secrets"))
        self.problems = QLabel(objectName="problems")
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
        page = QWidget()
        form = QFormLayout(page)
        self.secret_edits: dict[str, QLineEdit] = {}
        if secrets_module() is None:
            note = QLabel(
                self.tr(
                    "Secret storage (API keys for Stripe and the like) is not part of this "
                    "build yet. Nothing secret is ever stored in the database."
                ),
                objectName="secretsUnavailable",
            )
            note.setWordWrap(True)
            form.addRow(note)
            return page
        for name, label in [("stripe_api_key", "Stripe secret key")]:
            # Write-only: the field never shows the stored value, only whether one is set.
            edit = QLineEdit(objectName=name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(self.tr("unchanged"))
            self.secret_edits[name] = edit
            form.addRow(self.tr(label), edit)
        return page

    def accept(self) -> None:
        values = {
            name: value_of(w) if not isinstance(w, QSpinBox) else w.value()
            for name, w in self.fields.items()
        }
        try:
            self.svc.shop.save(**values)
        except InvoicerError as exc:
            self.problems.setText(error_text(exc))
            return
        super().accept()
