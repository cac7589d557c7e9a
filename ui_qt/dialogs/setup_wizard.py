"""First run: the shop profile, the logo and the bank details, saved in one service call."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.views import ShopProfile
from ui_qt.dialogs.errors import error_text
from ui_qt.dialogs.form_dialog import combo, value_of
from ui_qt.widgets.naming import named

VAT_STATUSES = [
    ("registered", "VAT registered"),
    ("oss", "VAT registered, One-Stop-Shop for EU consumers"),
    ("small_business", "Small business (no VAT charged)"),
]


class ShopPage(QWizardPage):
    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__()
        self.setTitle(self.tr("Your shop"))
        self.setSubTitle(self.tr("These details are printed on every invoice you issue."))
        form = QFormLayout(self)
        for name, label in [
            ("legal_name", self.tr("Legal name")),
            ("trading_name", self.tr("Trading name")),
            ("street", self.tr("Street")),
            ("postcode", self.tr("Postcode")),
            ("city", self.tr("City")),
            ("country", self.tr("Country (ISO code)")),
            ("vat_number", self.tr("VAT number")),
            ("email", self.tr("Email")),
            ("currency", self.tr("Currency")),
        ]:
            fields[name] = named(QLineEdit(), name)
            form.addRow(label, fields[name])
        fields["currency"].setText("EUR")
        fields["vat_status"] = combo(VAT_STATUSES)
        fields["vat_status"].setObjectName("vat_status")
        form.addRow(self.tr("VAT status"), fields["vat_status"])
        self.registerField("legal_name*", fields["legal_name"])


class LogoPage(QWizardPage):
    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__()
        self.setTitle(self.tr("Logo"))
        self.setSubTitle(self.tr("Optional: a PNG or JPEG shown at the top of your invoices."))
        self.path = named(QLineEdit(), "logo_path")
        fields["logo_path"] = self.path
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        self.preview = QLabel(self.tr("No logo"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(120)
        self.path.textChanged.connect(self._show)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.preview)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Logo"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.path.setText(path)

    def _show(self, path: str) -> None:
        pixmap = QPixmap(path)
        if pixmap.isNull():
            self.preview.setText(self.tr("No logo"))
            return
        self.preview.setPixmap(
            pixmap.scaledToHeight(110, Qt.TransformationMode.SmoothTransformation)
        )


class BankPage(QWizardPage):
    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__()
        self.setTitle(self.tr("Getting paid"))
        self.setSubTitle(self.tr("Bank details and payment terms printed on invoices."))
        form = QFormLayout(self)
        fields["iban"] = named(QLineEdit(), "iban")
        fields["bic"] = named(QLineEdit(), "bic")
        terms = named(QSpinBox(), "payment_terms_days")
        terms.setRange(0, 365)
        terms.setValue(14)
        terms.setSuffix(self.tr(" days"))
        fields["payment_terms_days"] = terms
        form.addRow(self.tr("IBAN"), fields["iban"])
        form.addRow(self.tr("BIC"), fields["bic"])
        form.addRow(self.tr("Payment terms"), terms)
        self.problems = named(QLabel(), "problems")
        self.problems.setWordWrap(True)
        form.addRow(self.problems)


class SetupWizard(QWizard):
    """Saves on Finish; stays open and lists the problems if the service refuses."""

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.setWindowTitle(self.tr("Set up your shop"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.fields: dict[str, Any] = {}
        self.shop_page = ShopPage(self.fields)
        self.logo_page = LogoPage(self.fields)
        self.bank_page = BankPage(self.fields)
        for page in (self.shop_page, self.logo_page, self.bank_page):
            self.addPage(page)
        self.profile: ShopProfile | None = None
        self.setMinimumSize(560, 460)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QLineEdit | QComboBox):
                values[name] = value_of(widget)
        values["language"] = "en"
        return {k: v for k, v in values.items() if v is not None}

    def accept(self) -> None:
        try:
            self.profile = self.svc.shop.save(ShopProfileChanges(**self.values()))
        except InvoicerError as exc:
            self.bank_page.problems.setText(error_text(exc))
            return
        super().accept()
