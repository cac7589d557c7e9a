"""Offer an invoice's balance in crypto: pick an accepted coin; ETH needs today's rate."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from invoicer.domain.errors import ValidationError
from invoicer.integrations.crypto import Asset, parse_assets
from invoicer.services.app import Services
from invoicer.services.payment_requests import Request
from invoicer.services.settings import SettingsService
from invoicer.services.views import Invoice
from ui_qt.dialogs.form_dialog import FormDialog


def accepted_assets() -> list[Asset]:
    """The coins in the settings; a broken setting is reported when the dialog saves."""
    try:
        return parse_assets(SettingsService().get().crypto_assets)
    except ValidationError:
        return []


class CryptoRequestDialog(FormDialog):
    def __init__(self, svc: Services, invoice: Invoice, parent: QWidget | None = None) -> None:
        from invoicer.services.commands import CryptoRequest
        from invoicer.services.payments_crypto import request_payment

        self.assets = accepted_assets()
        asset_box = QComboBox()
        for asset in self.assets:
            follows = f" ({asset.currency})" if asset.currency else ""
            asset_box.addItem(f"{asset.symbol}{follows}", asset.symbol)
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText(f"{invoice.currency} per coin, e.g. 3120.50")
        asset_box.currentIndexChanged.connect(self._asset_changed)
        self.request: Request | None = None

        def save(asset: str | None, rate: str | None) -> Request:
            if not asset:
                raise ValidationError.single(
                    "asset", "required", "No accepted coins: set crypto_assets in Settings."
                )
            # As typed: the service reads it (the one parser) and says what is wrong with it.
            price = rate if rate and self.rate_edit.isEnabled() else None
            self.request = request_payment(svc, invoice.id, CryptoRequest(asset=asset, rate=price))
            return self.request

        super().__init__(
            f"Crypto payment request for {invoice.number}",
            [
                ("asset", "Coin", asset_box),
                ("rate", f"Rate ({invoice.currency} per coin)", self.rate_edit),
            ],
            save,
            parent,
        )
        self._asset_changed(asset_box.currentIndex())

    def _asset_changed(self, index: int) -> None:
        # Stablecoins follow the invoice currency 1:1; only the native coin needs a rate.
        native = 0 <= index < len(self.assets) and self.assets[index].contract is None
        self.rate_edit.setEnabled(native)
