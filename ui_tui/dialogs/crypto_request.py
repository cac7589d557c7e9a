"""Ask for a crypto payment: the coin (from the accepted assets) and, for ETH, the rate."""

from __future__ import annotations

from typing import Any

from ui_tui import format as fmt
from ui_tui.dialogs.form_dialog import FormDialog
from ui_tui.payments import crypto_request
from ui_tui.widgets.form import FieldSpec


class CryptoRequestDialog(FormDialog):
    TITLE = "Crypto payment request"
    OK = "Create"

    def __init__(self, invoice: Any, assets: tuple[str, ...]) -> None:
        fields = (  # the coins come from the settings, so the fields are per dialog
            FieldSpec(
                "asset",
                "Coin",
                kind="choice",
                choices=tuple((symbol, symbol) for symbol in assets),
                required=True,
            ),
            FieldSpec(
                "rate",
                f"Rate for ETH ({invoice.currency} per ETH)",
                kind="decimal",
                placeholder="e.g. 3120.50; stablecoins need none",
            ),
        )
        super().__init__(fields)
        self.invoice = invoice
        self.assets = assets

    def intro(self) -> str:
        inv = self.invoice
        return (
            f"{inv.number}: a request for the balance of "
            f"{fmt.money(inv.balance, inv.currency)}; the PDF shows it as a QR code."
        )

    def defaults(self) -> dict[str, Any]:
        return {"asset": self.assets[0] if self.assets else None}

    def submit(self, values: dict[str, Any]) -> Any:
        return crypto_request(self.app, self.invoice.id, values["asset"], values["rate"])
