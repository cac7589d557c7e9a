"""What the services hand to the front-ends: plain, immutable values.

Money is Decimal in major units with its currency code (Decimal("12.10"), "EUR"); dates are
datetime.date; ids are UUID strings. No view holds a database session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int  # capped for very long lists: see total_capped
    offset: int
    limit: int
    total_capped: bool = False  # more than `total` matches ("10,000+")


@dataclass(frozen=True, slots=True)
class ShopProfile:
    id: str
    legal_name: str
    trading_name: str | None
    street: str
    postcode: str
    city: str
    country: str
    vat_number: str | None
    registration_number: str | None
    email: str | None
    phone: str | None
    website: str | None
    iban: str | None
    bic: str | None
    currency: str
    language: str
    payment_terms_days: int
    vat_status: str
    oss_opt_in: bool
    invoice_number_format: str
    credit_note_number_format: str
    eu_b2c_sales_outside_current_year: Decimal
    eu_b2c_sales_outside_previous_year: Decimal
    logo_path: str | None
    peppol_id: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    street: str | None
    postcode: str | None
    city: str | None
    country: str
    vat_number: str | None
    is_business: bool
    email: str | None
    language: str | None
    currency: str | None
    payment_terms_days: int | None
    notes: str | None
    archived: bool
    vies_valid: bool | None
    vies_checked_at: dt.datetime | None
    vies_name: str | None
    vies_address: str | None
    vies_request_id: str | None
    peppol_id: str | None = None


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    description: str | None
    unit_code: str
    unit_price: Decimal
    currency: str
    rate_class: str
    supply_kind: str
    art59_service: bool
    sku: str | None
    archived: bool


@dataclass(frozen=True, slots=True)
class Party:
    """Seller or buyer as printed on the document (frozen at issue)."""

    name: str
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    vat_number: str | None = None
    registration_number: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    iban: str | None = None
    bic: str | None = None
    trading_name: str | None = None
    peppol_id: str | None = None
    vies_valid: bool | None = None
    vies_checked_at: str | None = None
    vies_request_id: str | None = None
    logo_path: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: str
    position: int
    product_id: str | None
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    rate_class: str
    supply_kind: str
    net: Decimal
    category: str | None
    rate: Decimal | None
    exemption_code: str | None
    exemption_text: str | None
    tax_country: str | None = None
    credited_line_id: str | None = None


@dataclass(frozen=True, slots=True)
class VatGroup:
    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_code: str | None
    exemption_text: str | None


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    kind: str  # "invoice" | "credit_note"
    number: str | None
    status: str  # draft, open, partially_paid, paid, overdue, credited; credit notes: issued
    issue_date: dt.date | None
    supply_date: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    due_days: int | None
    due_date: dt.date | None
    currency: str
    language: str
    customer_id: str
    customer_name: str
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    vat_groups: tuple[VatGroup, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    credited: Decimal
    balance: Decimal
    credited_invoice_id: str | None
    credited_invoice_number: str | None
    credited_invoice_date: dt.date | None
    buyer_reference: str | None
    notes: str | None
    reason: str | None
    pdf_sha256: str | None
    issued_at: dt.datetime | None
    exchange_rate: Decimal | None
    requirements: dict[str, object] = field(default_factory=dict)
    notes_required: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def notices(self) -> tuple[str, ...]:
        """The lines every front-end shows under the invoice: the notes the law requires on it
        (OSS, ...), the user's own notes once issued (a draft edits them), then the warnings
        (an unverified VAT number)."""
        own = (self.notes,) if self.notes and self.status != "draft" else ()
        return (
            *(f"Note: {note}" for note in (*self.notes_required, *own)),
            *(f"Warning: {warning}" for warning in self.warnings),
        )


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    id: str
    kind: str
    number: str | None
    status: str
    issue_date: dt.date | None
    due_date: dt.date | None
    customer_id: str
    customer_name: str
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Payment:
    id: str
    invoice_id: str
    amount: Decimal
    currency: str
    date: dt.date
    method: str
    reference: str | None
    external_id: str | None
    extra: dict[str, object] | None
    overpayment: bool


@dataclass(frozen=True, slots=True)
class Attention:
    kind: str  # overdue, old_draft, unverified_vat
    message: str
    invoice_id: str | None = None
    customer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Dashboard:
    currency: str
    revenue_30d: Decimal
    revenue_by_day_30d: tuple[Decimal, ...]
    open_total: Decimal
    overdue_total: Decimal
    latest: tuple[InvoiceSummary, ...]
    attention: tuple[Attention, ...]


@dataclass(frozen=True, slots=True)
class RevenueMonth:
    month: str  # YYYY-MM
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class AgingRow:
    bucket: str  # not_due, 1-30, 31-60, 61-90, 90+
    currency: str
    amount: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class VatSummaryRow:
    category: str
    rate: Decimal
    currency: str
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class IntraCommunityRow:
    buyer_vat_number: str
    currency: str
    goods: Decimal
    services: Decimal


@dataclass(frozen=True, slots=True)
class OssRow:
    country: str
    rate: Decimal
    currency: str
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class VatSummary:
    start: dt.date
    end: dt.date
    rows: tuple[VatSummaryRow, ...]
    intra_community: tuple[IntraCommunityRow, ...]
    oss: tuple[OssRow, ...]


@dataclass(frozen=True, slots=True)
class Restored:
    """A backup put in place of the database; the file it replaced kept as `kept_as`."""

    database: Path
    backup: Path
    kept_as: Path | None


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """One thing `audit verify` found wrong, in plain words, with where it is."""

    kind: str  # chain, head, expected_head, document, payment, paid, credited, counter, vat_totals
    message: str
    document: str | None = None  # the document number it concerns
    event: int | None = None  # the audit event it concerns


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest audit event: keep its hash outside the file (`audit verify --expect`)."""

    seq: int
    hash: str
    events: int
    at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AuditReport:
    ok: bool
    events: int
    first_bad_seq: int | None
    problem: str | None  # the first problem's message
    tampered_invoices: tuple[str, ...] = ()
    problems: tuple[AuditProblem, ...] = ()
    head: AuditHead | None = None


@dataclass(frozen=True, slots=True)
class Device:
    """A registered device of the shop and the series it issues from."""

    id: str
    code: str  # the short code the merchant sees
    series_prefix: str  # "" : the shop's own formats (the first device keeps its numbers)
    registered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RevenueDay:
    """One day's issued documents in one currency (credit notes count negative)."""

    day: dt.date
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class CurrencyStanding:
    """The invoices issued in a period in one currency: what was invoiced, paid, credited,
    and what is still open."""

    currency: str
    invoiced: Decimal
    paid: Decimal
    credited: Decimal
    open: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class RevenueStats:
    start: dt.date
    end: dt.date
    days: tuple[RevenueDay, ...]
    currencies: tuple[CurrencyStanding, ...]


@dataclass(frozen=True, slots=True)
class StatsDay:
    """One day of the window in one currency: the gross of the documents issued that day
    (credit notes count negative) and the payments dated that day."""

    day: dt.date
    issued: Decimal
    received: Decimal


@dataclass(frozen=True, slots=True)
class TopCustomer:
    """A customer by the gross invoiced to them in the window (credit notes deducted)."""

    customer_id: str
    name: str
    issued: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class CurrencyStats:
    """The merchant's figures of the window in one currency (currencies are never added).

    paid/open: of the invoices issued in the window, how many are settled (paid, or covered by
    payments and credit notes) and how many are not, the money received against them, and
    what the unsettled ones still owe."""

    currency: str
    issued: Decimal
    received: Decimal
    days: tuple[StatsDay, ...]  # every day of the window, oldest first, zeros included
    invoices: int
    paid_count: int
    paid: Decimal
    open_count: int
    open: Decimal
    top_customers: tuple[TopCustomer, ...]


@dataclass(frozen=True, slots=True)
class MerchantStats:
    """The last `days` days up to `end` (the merchant's today), both ends included."""

    start: dt.date
    end: dt.date
    days: int
    currencies: tuple[CurrencyStats, ...]  # the shop's currency first, then A-Z


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event of the shop's audit trail as a reader sees it."""

    seq: int
    id: str
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    device_id: str
    state: dict[str, Any]
    hash: str
