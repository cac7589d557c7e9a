"""The VAT engine's vocabulary: what goes in and what comes out.

These types are the contract between the engine (`invoicer.domain.vat.engine`), the
services that store invoices, and the documents that print them. They hold no logic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class VatCategory(StrEnum):
    """EN 16931 VAT category codes (UNCL5305 as restricted by BR-CL-17)."""

    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY = "K"
    EXPORT = "G"
    OUTSIDE_SCOPE = "O"


class RateClass(StrEnum):
    """A product's rate class; each country maps it to its own rate (see rates.py)."""

    STANDARD = "standard"
    REDUCED = "reduced"
    REDUCED2 = "reduced2"  # the second, lower reduced rate where a country has two
    SUPER_REDUCED = "super_reduced"
    PARKING = "parking"
    ZERO = "zero"
    EXEMPT = "exempt"


class SupplyKind(StrEnum):
    GOODS = "goods"
    SERVICES = "services"
    # Telecom, broadcasting and electronically supplied services (Art. 58, Annex II).
    ELECTRONIC_SERVICES = "electronic_services"


@dataclass(frozen=True, slots=True)
class SellerVat:
    """What the engine needs to know about the seller."""

    country: str  # ISO 3166-1 alpha-2 of establishment
    vat_number: str | None = None
    oss_registered: bool = False  # Union OSS registration
    oss_opt_in: bool = False  # Art. 59c(3): destination taxation below the threshold
    small_business: bool = False  # Art. 284 exemption (NL: KOR)


@dataclass(frozen=True, slots=True)
class BuyerVat:
    """What the engine needs to know about the buyer."""

    country: str  # ISO 3166-1 alpha-2 (GB for Northern Ireland; see `northern_ireland`)
    postcode: str | None = None
    vat_number: str | None = None
    vat_verified: bool = False  # a valid VIES check recent enough (IR 282/2011 Art. 18)
    is_business: bool | None = None  # None: a business if it has a VAT number
    northern_ireland: bool = False  # XI for goods (Windsor Framework)


@dataclass(frozen=True, slots=True)
class LineSpec:
    """One invoice line as the engine sees it."""

    quantity: Decimal
    unit_price: Decimal  # exclusive of VAT, in the invoice currency
    rate_class: RateClass = RateClass.STANDARD
    supply: SupplyKind = SupplyKind.GOODS
    art59_service: bool = False  # services whose B2C place is outside the EU (Art. 59)
    description: str = ""
    # Per-country override of the rate class (scope differs per country).
    rate_class_by_country: tuple[tuple[str, RateClass], ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """Everything one VAT decision for a whole invoice depends on."""

    seller: SellerVat
    buyer: BuyerVat
    supply_date: dt.date
    currency: str
    lines: tuple[LineSpec, ...]
    language: str = "en"
    # Units of the seller's national currency per one unit of the invoice currency;
    # required when the two differ (Art. 230, BT-6/BT-111).
    exchange_rate: Decimal | None = None
    # Seller's EU cross-border B2C sales (goods distance sales + TBE), in EUR, excl. VAT.
    eu_b2c_sales_current_year: Decimal = Decimal(0)
    eu_b2c_sales_previous_year: Decimal = Decimal(0)
    # EUR per one unit of the invoice currency, for the EUR 10,000 threshold; only needed when
    # neither the invoice currency nor the seller's national currency is the euro.
    eur_exchange_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineVat:
    """The engine's decision for one line."""

    net_minor: int
    category: VatCategory
    rate: Decimal  # percent, e.g. Decimal("21")
    exemption_code: str | None  # VATEX code, BT-121
    exemption_text: str | None  # BT-120, in the requested language
    tax_country: str | None  # whose rate applies (None when no VAT is charged)


@dataclass(frozen=True, slots=True)
class VatGroup:
    """One row of the VAT breakdown (BG-23): per category, rate and exemption reason."""

    category: VatCategory
    rate: Decimal
    taxable_minor: int
    tax_minor: int
    exemption_code: str | None
    exemption_text: str | None


@dataclass(frozen=True, slots=True)
class Requirements:
    """What the invoice must carry because of this VAT treatment (Art. 226, EN 16931)."""

    buyer_vat_number: bool = False  # Art. 226(4): AE and K
    delivery_date: bool = False  # BR-IC-11
    deliver_to_country: bool = False  # BR-IC-12
    # VAT total in the seller's national currency when the invoice is in another one.
    vat_accounting_currency: str | None = None
    vat_total_accounting_minor: int | None = None
    # The buyer's VAT number is needed but not verified in VIES: the caller decides
    # (setting: block or warn) whether the invoice may be issued.
    unverified_buyer_vat_number: bool = False
    oss: bool = False  # VAT due in another Member State, declared through the OSS
    # BR-O-02: with category O the e-invoice must carry neither party's VAT identifier.
    omit_vat_identifiers: bool = False
    notes: tuple[str, ...] = field(default=())  # wording to print, in the requested language


@dataclass(frozen=True, slots=True)
class Quote:
    """The full VAT decision and totals for an invoice (EN 16931 calculation model)."""

    currency: str
    lines: tuple[LineVat, ...]
    groups: tuple[VatGroup, ...]
    net_minor: int
    vat_minor: int
    gross_minor: int
    requirements: Requirements
