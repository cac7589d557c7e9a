"""The checkout services' answers in the buyer's words (the page model): the one module that
knows their shapes, so the templates and routes stay as they are when a service grows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.server.pages.i18n import Words, msg
from invoicer.server.pages.model import Bank, Checkout, Crypto, Line, Party, Totals, VatRow
from invoicer.services import checkout

# What the VAT column says when no VAT is charged (EN 16931 categories).
CATEGORY_NAMES = {
    "AE": msg("Reverse charge"),
    "E": msg("Exempt"),
    "Z": msg("Zero rated"),
    "K": msg("Intra-EU supply"),
    "G": msg("Export"),
    "O": msg("Outside the scope of VAT"),
}


def _vat(words: Words, category: str, rate: Decimal) -> str:
    if category == "S":
        return words.percent(rate)
    return words.gettext(CATEGORY_NAMES.get(category, category))


def _address(
    words: Words, street: str | None, postcode: str | None, city: str | None, country: str | None
) -> tuple[str, ...]:
    town = " ".join(part for part in (postcode, city) if part)
    rows = [row for row in (street, town) if row]
    if country:
        rows.append(words.country(country))
    return tuple(rows)


def checkout(quote: checkout.CheckoutQuote, words: Words) -> Checkout:
    raise NotImplementedError


def buyer_values(quote: checkout.CheckoutQuote) -> dict[str, str]:
    raise NotImplementedError


def buyer_details(values: dict[str, str], language: str) -> checkout.BuyerDetails:
    raise NotImplementedError


def bank(transfer: checkout.BankTransfer, words: Words) -> Bank:
    raise NotImplementedError


def crypto(request: checkout.CryptoRequest, words: Words) -> Crypto:
    raise NotImplementedError


def _unused(*_: Any) -> None:
    _ = (Line, Party, Totals, VatRow, _vat, _address)
