"""What the checkout services answer: plain, immutable values (amounts as Decimal in the
session's currency, never float)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from invoicer.services.views import Party


@dataclass(frozen=True, slots=True)
class BuyerDetails:
    """A basket's buyer as checked: the customer the order's invoice will be for."""

    name: str
    country: str
    email: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    vat_number: str | None = None
    language: str | None = None
    # The VIES answer for vat_number (IR 282/2011 Art. 18), stored with the customer.
    vies_valid: bool | None = None
    vies_checked_at: dt.datetime | None = None
    vies_request_id: str | None = None

    @property
    def complete(self) -> bool:
        """Enough to issue an invoice to (Art. 226(5): the buyer's full name and address)."""
        return bool(self.name and self.country and self.street and self.city and self.email)


@dataclass(frozen=True, slots=True)
class CheckoutView:
    id: str
    shop_id: str
    kind: str  # invoice | basket
    status: str  # open | paid | expired | cancelled
    invoice_id: str | None
    invoice_number: str | None
    currency: str
    amount_minor: int  # what the buyer was asked when the session was made
    language: str | None
    expires_at: dt.datetime
    created_at: dt.datetime
    paid_at: dt.datetime | None
    payment_id: str | None
    buyer: BuyerDetails | None


@dataclass(frozen=True, slots=True)
class QuoteLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    category: str  # EN 16931 VAT category (S, AE, K, G, E, Z, O)
    rate: Decimal


@dataclass(frozen=True, slots=True)
class QuoteVat:
    category: str
    rate: Decimal
    base: Decimal
    amount: Decimal
    note: str | None  # the exemption wording (reverse charge, export, ...)


@dataclass(frozen=True, slots=True)
class CheckoutQuote:
    """Everything the buyer's page shows: decided by the VAT engine for this buyer."""

    checkout: CheckoutView
    seller: Party
    buyer: BuyerDetails | None
    invoice_number: str | None
    currency: str
    lines: tuple[QuoteLine, ...]
    vat: tuple[QuoteVat, ...]
    net: Decimal
    vat_total: Decimal
    gross: Decimal
    paid: Decimal
    due: Decimal
    methods: tuple[str, ...]  # card, bank_transfer, crypto: what the shop can take
    needs_buyer: bool  # a basket whose buyer is not complete cannot be paid yet
    reverse_charge: bool
    notes: tuple[str, ...]  # what the invoice will have to say (OSS, VIES unverified, ...)


@dataclass(frozen=True, slots=True)
class BankTransfer:
    beneficiary: str
    iban: str
    bic: str | None
    reference: str  # the ISO 11649 RF reference of the invoice
    amount: Decimal
    currency: str
    invoice_number: str
    epc_payload: bytes | None  # EPC QR (euro only)


@dataclass(frozen=True, slots=True)
class CryptoRequest:
    uri: str  # EIP-681
    address: str
    amount: Decimal  # in the coin
    asset: str
    chain_id: int
    invoice_number: str
