"""The invoice as a document sees it: one plain, immutable value per issued invoice.

Everything the PDF, the e-invoice exporters and the EPC QR code need, and nothing they
have to look up. The store/services map an issued invoice (its frozen snapshot) onto
`InvoiceDocument`; the renderers never touch the database.

Conventions (the mapper must follow them):

- Amounts are integer minor units of `currency` (ISO 4217 exponent: EUR 2, JPY 0).
  Quantities, unit prices and rates are `Decimal`, never float.
- A credit note carries **positive** quantities and amounts (the amounts credited), as
  EN 16931 expects for document type 381; `kind` says it is a credit note. Negate the
  store's negative amounts when mapping.
- Totals follow the EN 16931 model: `net_minor` = sum of line nets, `vat_minor` = sum of
  the groups' tax, `gross_minor` = net + VAT, `balance_minor` = gross − paid.
- Countries are ISO 3166-1 alpha-2 (GB for the UK; VAT numbers keep their own prefix, so
  a Greek VAT number starts with EL and a Northern Irish one with XI).
- `language` is one of the catalog languages (en, nl, de, fr); anything else prints in
  English.

>>> from decimal import Decimal
>>> line = DocumentLine("Consulting", Decimal("2"), Decimal("50.00"), 10000,
...                     VatCategory.STANDARD, Decimal("21"))
>>> line.unit_code
'C62'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from invoicer.domain.vat.model import VatCategory, VatGroup

__all__ = [
    "BankAccount",
    "CryptoPaymentRequest",
    "DocumentKind",
    "DocumentLine",
    "DocumentTotals",
    "InvoiceDocument",
    "Logo",
    "Party",
    "PaymentStatement",
    "StatementPayment",
    "VatCategory",
    "VatGroup",
]


class DocumentKind(StrEnum):
    INVOICE = "invoice"  # UNTDID 1001 code 380
    CREDIT_NOTE = "credit_note"  # UNTDID 1001 code 381
    QUOTE = "quote"  # a quote (estimate): no payment section, never an e-invoice


@dataclass(frozen=True, slots=True)
class Party:
    """Seller (BG-4) or buyer (BG-7): name, postal address and identifiers."""

    name: str
    street: str = ""
    additional_street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    subdivision: str = ""  # region / province, optional
    vat_number: str | None = None  # with its country prefix, e.g. NL123456789B01
    # Legal registration (BT-30 / BT-47), e.g. Chamber of Commerce number, and its ISO 6523
    # scheme code when known (0106 KVK, 0002 SIREN/SIRENE ...).
    registration_id: str | None = None
    registration_scheme: str | None = None
    trading_name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    contact_name: str | None = None
    # Electronic address (BT-34 / BT-49) and its EAS scheme code (0106, 9944, EM ...).
    endpoint_id: str | None = None
    endpoint_scheme: str | None = None

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The postal address as printed: street lines, then postcode and city, country."""
        city_line = " ".join(part for part in (self.postcode, self.city) if part)
        return tuple(
            part
            for part in (self.street, self.additional_street, city_line, self.subdivision)
            if part
        )


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One invoice line (BG-25)."""

    description: str  # item name (BT-153)
    quantity: Decimal
    unit_price: Decimal  # net of VAT, in the invoice currency (BT-146)
    net_minor: int  # rounded line net (BT-131)
    category: VatCategory
    rate: Decimal  # percent, e.g. Decimal("21"); 0 where no VAT is charged
    unit_code: str = "C62"  # UN/ECE Rec. 20 (C62 one, HUR hour, DAY, KGM ...)
    item_id: str | None = None  # seller's item id / SKU (BT-155)
    note: str | None = None  # extra description (BT-154)


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    """Document totals (BG-22) in minor units of the invoice currency."""

    net_minor: int  # sum of line nets = tax-exclusive amount (BT-106, BT-109)
    vat_minor: int  # BT-110
    gross_minor: int  # BT-112
    paid_minor: int = 0  # BT-113
    balance_minor: int | None = None  # BT-115; None means gross − paid

    @property
    def due_minor(self) -> int:
        if self.balance_minor is not None:
            return self.balance_minor
        return self.gross_minor - self.paid_minor


@dataclass(frozen=True, slots=True)
class BankAccount:
    """Where a credit transfer goes (BG-17)."""

    iban: str
    bic: str | None = None
    holder: str | None = None  # account name; defaults to the seller's name


@dataclass(frozen=True, slots=True)
class CryptoPaymentRequest:
    """A crypto payment request (e.g. an EIP-681 URI) and the words printed beside it."""

    uri: str
    text: str


@dataclass(frozen=True, slots=True)
class Logo:
    """The shop's logo as stored: PNG, JPEG or SVG bytes."""

    data: bytes
    mime: str  # image/png, image/jpeg, image/svg+xml


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """An issued invoice or credit note, ready to print or export."""

    kind: DocumentKind
    number: str  # BT-1
    issue_date: dt.date  # BT-2
    currency: str  # ISO 4217 (BT-5)
    language: str  # en, nl, de, fr
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat_groups: tuple[VatGroup, ...]  # the VAT breakdown (BG-23), one per category+rate
    totals: DocumentTotals
    due_date: dt.date | None = None  # BT-9
    supply_date: dt.date | None = None  # actual delivery date (BT-72)
    supply_period: tuple[dt.date, dt.date] | None = None  # invoicing period (BG-14)
    payment_terms: str | None = None  # BT-20, printed as is
    bank: BankAccount | None = None
    buyer_reference: str | None = None  # BT-10 (Peppol: buyer or order reference)
    order_reference: str | None = None  # BT-13
    notes: tuple[str, ...] = ()  # free text and VAT wording to print (BT-22)
    # Credit notes: the invoice being credited (BT-25, BT-26).
    original_invoice_number: str | None = None
    original_invoice_date: dt.date | None = None
    # VAT total in the seller's accounting currency when the invoice is in another one
    # (BT-6, BT-111; Art. 230).
    accounting_currency: str | None = None
    vat_total_accounting_minor: int | None = None
    delivery_country: str | None = None  # deliver-to country (BT-80), needed for K
    # Payment slots: filled by later integrations, printed when present.
    card_payment_url: str | None = None
    crypto_payment: CryptoPaymentRequest | None = None
    paid_reference: str | None = None  # the paying transfer / charge / transaction id
    logo: Logo | None = None
    # Determinism: the PDF's creation date and file id come from the invoice, not the
    # clock. Left empty, they are derived from the issue date and the number.
    created_at: dt.datetime | None = None
    document_id: str | None = None  # 32 hex digits (the PDF /ID)
    extra: tuple[tuple[str, str], ...] = field(default=())  # label, value pairs to print
    valid_until: dt.date | None = None  # a quote's last valid day

    @property
    def is_credit_note(self) -> bool:
        return self.kind is DocumentKind.CREDIT_NOTE

    @property
    def is_quote(self) -> bool:
        return self.kind is DocumentKind.QUOTE

    @property
    def is_paid(self) -> bool:
        return self.totals.gross_minor > 0 and self.totals.due_minor <= 0

    @property
    def creation_datetime(self) -> dt.datetime:
        """The PDF creation date: given, or noon UTC of the issue date."""
        if self.created_at is not None:
            return self.created_at
        return dt.datetime.combine(self.issue_date, dt.time(12, 0), tzinfo=dt.UTC)

    @property
    def file_id(self) -> str:
        """The PDF file identifier: given, or derived from seller, kind and number."""
        if self.document_id:
            return self.document_id.upper()
        key = "|".join((self.seller.vat_number or self.seller.name, self.kind, self.number))
        return hashlib.sha256(key.encode()).hexdigest()[:32].upper()


@dataclass(frozen=True, slots=True)
class StatementPayment:
    """One payment booked against the invoice, as the payment statement lists it."""

    date: dt.date
    amount_minor: int  # in the invoice currency; negative for a refund
    method: str  # bank, card, crypto, cash ...
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentStatement:
    """Where an issued invoice stands on `as_of`: not an invoice, made anew each time.

    `invoice` is the issued document with the payment state filled in (paid, balance, the
    payment links open, the paying reference) and its own creation date and file id.
    """

    invoice: InvoiceDocument
    as_of: dt.date
    payments: tuple[StatementPayment, ...] = ()
    credited_minor: int = 0  # credited by credit notes (positive)
