"""From a draft to an issued invoice: the VAT decision, the number, the frozen snapshot.

Everything here runs inside the caller's BEGIN IMMEDIATE transaction, so the number counter
is read and bumped under the write lock and a crash at any point leaves either the whole
issued invoice or the untouched draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from invoicer.domain import numbering
from invoicer.domain.errors import Conflict, ValidationError
from invoicer.domain.money import currency, from_minor, to_minor
from invoicer.domain.vat.model import (
    BuyerVat,
    LineSpec,
    Quote,
    QuoteRequest,
    RateClass,
    SellerVat,
    SupplyKind,
)
from invoicer.domain.vat.rates import EU_MEMBER_STATES
from invoicer.store import audit, schema
from invoicer.store.tenancy import SCOPED_KEY, shop_of

VIES_MAX_AGE_DAYS = 30


# One statement, built once (issuing is the hot path): a new series starts with its first
# number taken (next is 2), an existing one moves on by one; either way the number taken.
_TAKE_NUMBER = text(
    "INSERT INTO number_series (shop_id, series, year, next_seq) VALUES (:shop, :s, :y, 2) "
    "ON CONFLICT (shop_id, series, year) DO UPDATE SET next_seq = number_series.next_seq + 1 "
    "RETURNING next_seq - 1"
)


def next_number(session: Session, series: str, year: int, fmt: str) -> tuple[int, str]:
    """Bump the series counter (never max()+1) and format the number."""
    key = {"shop": shop_of(session), "s": series, "y": year}
    seq = session.connection().execute(_TAKE_NUMBER, key).scalar_one()
    return seq, fmt.format(year=year, seq=seq)


def device_series(session: Session, kind: str, fmt: str) -> tuple[str, str]:
    """The series and number format the transaction's device issues `kind` from: its own
    once registered with a prefix (domain/numbering.py), the shop's as they are otherwise."""
    key = {"shop": shop_of(session), "device": audit.writer_of(session).device_id}
    row = session.connection().execute(_DEVICE_PREFIX, key).first()
    if key["device"] != audit.LOCAL_DEVICE:  # a synced device may have been revoked
        from invoicer.services.sync.link import check_may_issue

        check_may_issue(session, key["shop"], key["device"], row[0] if row else None)
    prefix = (row[0] if row else None) or ""
    return numbering.series_key(kind, prefix), numbering.device_format(fmt, prefix)


_DEVICES = schema.Device.__table__.c
# Built once, Core: this runs in every issuing transaction (the ORM's get costs ~10x more).
_DEVICE_PREFIX = select(_DEVICES.series_prefix).where(
    _DEVICES.shop_id == bindparam("shop"), _DEVICES.id == bindparam("device")
)


def seller_snapshot(shop: schema.Shop) -> dict[str, Any]:
    return {
        "name": shop.legal_name,
        "trading_name": shop.trading_name,
        "street": shop.street,
        "postcode": shop.postcode,
        "city": shop.city,
        "country": shop.country,
        "vat_number": shop.vat_number,
        "registration_number": shop.registration_number,
        "email": shop.email,
        "phone": shop.phone,
        "website": shop.website,
        "iban": shop.iban,
        "bic": shop.bic,
        "vat_status": shop.vat_status,
        "logo_path": shop.logo_path,
        "peppol_id": shop.peppol_id,
    }


def buyer_snapshot(customer: schema.Customer) -> dict[str, Any]:
    return {
        "name": customer.name,
        "street": customer.street,
        "postcode": customer.postcode,
        "city": customer.city,
        "country": customer.country,
        "vat_number": customer.vat_number,
        "email": customer.email,
        "peppol_id": customer.peppol_id,
        "is_business": customer.is_business,
        "vies_valid": customer.vies_valid,
        "vies_checked_at": customer.vies_checked_at.isoformat()
        if customer.vies_checked_at
        else None,
        "vies_name": customer.vies_name,
        "vies_address": customer.vies_address,
        "vies_request_id": customer.vies_request_id,
    }


def vies_verified(customer: schema.Customer, today: dt.date, max_age_days: int) -> bool:
    checked = customer.vies_checked_at
    return bool(
        customer.vies_valid
        and checked is not None
        and (today - checked.date()).days <= max_age_days
    )


_INVOICES = schema.Invoice.__table__.c
_EU_B2C_SALES = (
    select(_INVOICES.year, func.sum(_INVOICES.eu_b2c_eur_minor))
    .where(
        _INVOICES.year.in_([bindparam("year"), bindparam("previous")]),
        _INVOICES.eu_b2c_eur_minor != 0,  # ix_invoices_eu_b2c
    )
    .group_by(_INVOICES.year)
)
# Core bypasses store/tenancy.py: a transaction that names its shop reads only the shop's
# (a local file's one shop keeps the plain query and the partial index it was tuned for).
_SHOP_EU_B2C_SALES = _EU_B2C_SALES.where(_INVOICES.shop_id == bindparam("shop"))


def eu_b2c_sales(session: Session, year: int) -> tuple[Decimal, Decimal]:
    """This store's own issued EU cross-border B2C goods + TBE sales of `year` and of the
    year before, in EUR (one read of the partial index for both)."""
    key = {"shop": shop_of(session), "year": year, "previous": year - 1}
    scoped = session.info.get(SCOPED_KEY)
    rows = session.connection().execute(_SHOP_EU_B2C_SALES if scoped else _EU_B2C_SALES, key)
    cents: dict[int, int] = {row[0]: row[1] for row in rows}
    return Decimal(cents.get(year, 0)) / 100, Decimal(cents.get(year - 1, 0)) / 100


def counts_towards_threshold(shop: schema.Shop, customer: schema.Customer) -> bool:
    """Only a sale to a consumer in another Member State (or Northern Ireland) can be."""
    if customer.country == shop.country or customer.vat_number or customer.is_business:
        return False
    return customer.country in EU_MEMBER_STATES or customer.country == "GB"


def build_request(
    session: Session,
    invoice: schema.Invoice,
    shop: schema.Shop,
    customer: schema.Customer,
    supply_date: dt.date,
    today: dt.date,
    max_age_days: int = VIES_MAX_AGE_DAYS,
) -> QuoteRequest:
    year = supply_date.year
    current = previous = Decimal(0)
    if counts_towards_threshold(shop, customer):
        current, previous = eu_b2c_sales(session, year)
    return QuoteRequest(
        seller=SellerVat(
            country=shop.country,
            vat_number=shop.vat_number,
            oss_registered=shop.vat_status == "oss",
            oss_opt_in=shop.oss_opt_in,
            small_business=shop.vat_status == "small_business",
        ),
        buyer=BuyerVat(
            country=customer.country,
            postcode=customer.postcode,
            vat_number=customer.vat_number,
            vat_verified=vies_verified(customer, today, max_age_days),
            is_business=customer.is_business,
        ),
        supply_date=supply_date,
        currency=invoice.currency,
        lines=tuple(
            LineSpec(
                quantity=line.quantity,
                unit_price=line.unit_price,
                rate_class=RateClass(line.rate_class),
                supply=SupplyKind(line.supply_kind),
                art59_service=line.art59_service,
                description=line.description,
            )
            for line in invoice.lines
        ),
        language=invoice.language,
        exchange_rate=invoice.exchange_rate,
        eu_b2c_sales_current_year=current + shop.eu_b2c_sales_outside_current_year,
        eu_b2c_sales_previous_year=previous + shop.eu_b2c_sales_outside_previous_year,
    )


def supply_date_of(invoice: schema.Invoice, issue_date: dt.date) -> dt.date:
    return invoice.supply_date or invoice.period_end or issue_date


def cross_border_b2c_eur_minor(request: QuoteRequest, result: Quote, national_currency: str) -> int:
    """What this invoice adds to the EUR 10,000 distance-sales threshold."""
    buyer, seller = request.buyer, request.seller
    eu_buyer = buyer.country in EU_MEMBER_STATES or (
        buyer.country == "GB" and any(line.tax_country == "XI" for line in result.lines)
    )
    business = buyer.is_business if buyer.is_business is not None else bool(buyer.vat_number)
    if buyer.country == seller.country or not eu_buyer or business:
        return 0
    cur = currency(request.currency)
    counted = sum(
        line.net_minor
        for spec, line in zip(request.lines, result.lines, strict=True)
        if spec.supply is not SupplyKind.SERVICES
    )
    amount = from_minor(counted, cur)
    if cur.code != "EUR":
        if national_currency != "EUR" or request.exchange_rate is None:
            return 0  # not convertible here; the profile's figure covers it
        amount *= request.exchange_rate
    return to_minor(amount, currency("EUR"))


def apply_quote(session: Session | None, invoice: schema.Invoice, result: Quote) -> None:
    for line, decided in zip(invoice.lines, result.lines, strict=True):
        line.net_minor = decided.net_minor
        line.category = decided.category.value
        line.rate = decided.rate
        line.exemption_code = decided.exemption_code
        line.exemption_text = decided.exemption_text
        line.tax_country = decided.tax_country
    countries = {
        (line.category, line.rate, line.exemption_code): line.tax_country for line in result.lines
    }
    invoice.vat_groups = [
        schema.VatGroupRow(
            position=index,
            tax_country=countries.get((group.category, group.rate, group.exemption_code)),
            category=group.category.value,
            rate=group.rate,
            taxable_minor=group.taxable_minor,
            tax_minor=group.tax_minor,
            exemption_code=group.exemption_code,
            exemption_text=group.exemption_text,
        )
        for index, group in enumerate(result.groups)
    ]
    invoice.net_minor, invoice.vat_minor = result.net_minor, result.vat_minor
    invoice.gross_minor = result.gross_minor


def requirements_json(result: Quote) -> dict[str, Any]:
    req = result.requirements
    return {
        "buyer_vat_number": req.buyer_vat_number,
        "delivery_date": req.delivery_date,
        "deliver_to_country": req.deliver_to_country,
        "vat_accounting_currency": req.vat_accounting_currency,
        "vat_total_accounting_minor": req.vat_total_accounting_minor,
        "unverified_buyer_vat_number": req.unverified_buyer_vat_number,
        "oss": req.oss,
        "omit_vat_identifiers": req.omit_vat_identifiers,
        "notes": list(req.notes),
    }


def content_digest(invoice: schema.Invoice) -> str:
    """A fingerprint of everything an issued document says, recorded in its audit event."""
    parts: list[Any] = [
        invoice.number,
        invoice.kind,
        invoice.issue_date,
        invoice.supply_date,
        invoice.due_date,
        invoice.currency,
        invoice.net_minor,
        invoice.vat_minor,
        invoice.gross_minor,
        invoice.customer_id,
        invoice.credited_invoice_id,
        invoice.seller,
        invoice.buyer,
    ]
    parts += [
        (
            l.position,
            l.description,
            l.quantity,
            l.unit_price,
            l.net_minor,
            l.category,
            l.rate,
            l.exemption_code,
        )
        for l in sorted(invoice.lines, key=lambda l: l.position)  # noqa: E741
    ]
    parts += [
        (g.position, g.category, g.rate, g.taxable_minor, g.tax_minor, g.exemption_code)
        for g in sorted(invoice.vat_groups, key=lambda g: g.position)
    ]
    return hashlib.sha256(audit.canonical({"c": parts}).encode()).hexdigest()


def refuse_unverified(result: Quote, policy: str, max_age_days: int = VIES_MAX_AGE_DAYS) -> None:
    if result.requirements.unverified_buyer_vat_number and policy == "block":
        raise Conflict(
            "The customer's VAT number has no valid VIES check from the last "
            f"{max_age_days} days, which reverse charge and intra-Community supplies "
            "need (IR 282/2011 Art. 18). Check it first (invoicer customer check-vat), or set "
            "the VIES policy to 'warn'."
        )


def check_issuable(invoice: schema.Invoice) -> None:
    if invoice.issued_at is not None:
        raise Conflict(f"Invoice {invoice.number} is already issued; issued invoices never change.")
    if not invoice.lines:
        raise ValidationError.single("lines", "empty", "An invoice needs at least one line.")


BUYER_ADDRESS_FIELDS = ("street", "postcode", "city")


def check_buyer_address(customer: schema.Customer) -> None:
    """Art. 226(5): an invoice carries the customer's full name and address, as it does the
    seller's (which the shop profile already requires)."""
    missing = [key for key in BUYER_ADDRESS_FIELDS if not (getattr(customer, key) or "").strip()]
    if missing:
        listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        raise ValidationError.single(
            "customer",
            "address_incomplete",
            f"{customer.name} has no {listed}, and an invoice needs the customer's full "
            "address (Art. 226(5) VAT Directive): add it to the customer, then issue.",
        )
