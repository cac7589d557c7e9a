"""The EU VAT decision table (VAT.md §1.2 rows 1-11 and 13) and the EN 16931 totals.

`quote()` decides, per line, the EN 16931 category, the rate and the exemption reason, then
computes the totals the EN 16931 way (VAT once per category and rate). Out of scope, by
design: row 6's special services (Art. 46-56: passenger transport, events, restaurants,
immovable property ...), which stay with the general rule and need a manual check, and row
12 (imports, IOSS, non-EU sellers), which is refused.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from invoicer.domain.vat.model import *
>>> request = QuoteRequest(
...     seller=SellerVat("NL", "NL004495445B01"),
...     buyer=BuyerVat("DE", vat_number="DE136695976", vat_verified=True),
...     supply_date=dt.date(2026, 3, 1), currency="EUR",
...     lines=(LineSpec(Decimal(2), Decimal("100"), supply=SupplyKind.SERVICES),))
>>> result = quote(request)
>>> result.groups[0].category, result.groups[0].exemption_text, result.gross_minor
(<VatCategory.REVERSE_CHARGE: 'AE'>, 'Reverse charge', 20000)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from invoicer.domain.errors import ValidationError
from invoicer.domain.limits import check_amount, check_exchange_rate
from invoicer.domain.money import Currency, currency, from_minor, to_minor
from invoicer.domain.totals import TaxedLine, compute_totals, line_net_minor
from invoicer.domain.vat import numbers, wording
from invoicer.domain.vat.model import (
    LineSpec,
    LineVat,
    Quote,
    QuoteRequest,
    RateClass,
    Requirements,
    SupplyKind,
    VatCategory,
)
from invoicer.domain.vat.rates import EU_MEMBER_STATES, RateTable, Territory, default_rate_table

# Art. 59c(1)(c): EU-wide B2C distance sales of goods + TBE services, per calendar year.
DISTANCE_SALES_THRESHOLD_EUR = Decimal(10000)

_NO_VAT = frozenset(
    {
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_COMMUNITY,
        VatCategory.EXPORT,
        VatCategory.OUTSIDE_SCOPE,
    }
)


class Place(Enum):
    """Where the buyer is, as far as EU VAT is concerned."""

    DOMESTIC = "domestic"  # the seller's own Member State
    EU = "eu"  # another Member State
    NORTHERN_IRELAND = "xi"  # in the EU VAT area for goods only
    THIRD = "third"  # outside the EU VAT area (incl. Art. 6 territories)


@dataclass(frozen=True, slots=True)
class _Decision:
    category: VatCategory
    rate: Decimal
    code: str | None
    text: str | None
    tax_country: str | None


@dataclass(frozen=True, slots=True)
class _Context:
    request: QuoteRequest
    rates: RateTable
    place: Place
    business: bool
    destination: bool  # B2C distance sales taxed where the buyer is (Art. 59c)
    territory: Territory | None


def quote(request: QuoteRequest, rates: RateTable | None = None) -> Quote:
    """Decide the VAT of every line and compute the EN 16931 totals."""
    rates = rates or default_rate_table()
    _check_languages_and_lines(request)
    cur = currency(request.currency)
    place, territory, business = _buyer_status(request, rates)
    destination = place in (Place.EU, Place.NORTHERN_IRELAND) and not business
    destination = destination and _destination_taxation(request, cur, rates)
    ctx = _Context(request, rates, place, business, destination, territory)
    # Lines with the same VAT-relevant attributes get the same decision: decide once.
    decided: dict[tuple[object, ...], _Decision] = {}
    decisions = []
    for line in request.lines:
        key = (line.supply, line.rate_class, line.art59_service, line.rate_class_by_country)
        decision = decided.get(key)
        if decision is None:
            decision = decided[key] = _decide(line, ctx)
        decisions.append(decision)
    _refuse_mixed_outside_scope(decisions)
    totals = compute_totals(
        [
            TaxedLine(line.quantity, line.unit_price, d.category, d.rate, d.code, d.text)
            for line, d in zip(request.lines, decisions, strict=True)
        ],
        cur,
    )
    line_vats = tuple(
        LineVat(net, d.category, d.rate, d.code, d.text, d.tax_country)
        for net, d in zip(totals.line_nets_minor, decisions, strict=True)
    )
    return Quote(
        currency=cur.code,
        lines=line_vats,
        groups=totals.groups,
        net_minor=totals.net_minor,
        vat_minor=totals.vat_minor,
        gross_minor=totals.gross_minor,
        requirements=_requirements(ctx, decisions, cur, totals.vat_minor),
    )


# --- inputs -------------------------------------------------------------------------------


def _check_languages_and_lines(request: QuoteRequest) -> None:
    if request.language not in wording.LANGUAGES:
        raise ValidationError.single(
            "language",
            "unsupported",
            f"Language {request.language!r} is not supported; use one of "
            f"{', '.join(wording.LANGUAGES)}.",
        )
    if not request.lines:
        raise ValidationError.single("lines", "empty", "An invoice needs at least one line.")
    if request.seller.country not in EU_MEMBER_STATES:
        raise ValidationError.single(
            "seller.country",
            "not_eu",
            f"The seller must be established in an EU Member State, not {request.seller.country!r}"
            " (imports and non-EU sellers are not supported).",
        )


@functools.cache
def _is_country(code: str) -> bool:
    import pycountry

    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def _buyer_status(request: QuoteRequest, rates: RateTable) -> tuple[Place, Territory | None, bool]:
    buyer, seller = request.buyer, request.seller
    if not _is_country(buyer.country):
        raise ValidationError.single(
            "buyer.country",
            "unknown_country",
            f"{buyer.country!r} is not an ISO 3166-1 alpha-2 country code.",
        )
    number = buyer.vat_number.strip() if buyer.vat_number else ""
    xi_number = number.upper().startswith("XI")
    postcode = (buyer.postcode or "").strip().upper()
    territory = rates.territory(buyer.country, postcode)
    if buyer.country == seller.country and not (territory and territory.outside_eu_vat):
        place = Place.DOMESTIC
    elif buyer.country in EU_MEMBER_STATES and not (territory and territory.outside_eu_vat):
        place = Place.EU
    elif buyer.country == "GB" and (buyer.northern_ireland or xi_number or postcode[:2] == "BT"):
        place = Place.NORTHERN_IRELAND
    else:
        place = Place.THIRD
    if number and place is not Place.THIRD:
        # An EU (or XI) number must be valid; an invalid one is an error, never silently B2C.
        normalised = numbers.normalize(number, field="buyer.vat_number")
        expected = "GB" if place is Place.NORTHERN_IRELAND else buyer.country
        if numbers.country_of(normalised) != expected:
            raise ValidationError.single(
                "buyer.vat_number",
                "country_mismatch",
                f"VAT number {normalised} is not from the buyer's country {buyer.country}.",
            )
    business = buyer.is_business if buyer.is_business is not None else bool(number)
    if place in (Place.EU, Place.NORTHERN_IRELAND) and not number:
        # IR 282/2011 Art. 18(2): without a VAT number the buyer is treated as a consumer.
        business = False
    return place, territory, business


def _destination_taxation(request: QuoteRequest, cur: Currency, rates: RateTable) -> bool:
    """Art. 59c: tax B2C distance sales where the buyer is (threshold, opt-in or OSS)."""
    seller = request.seller
    if seller.oss_opt_in or seller.oss_registered:
        return True
    previous, current = request.eu_b2c_sales_previous_year, request.eu_b2c_sales_current_year
    if previous > DISTANCE_SALES_THRESHOLD_EUR or current > DISTANCE_SALES_THRESHOLD_EUR:
        return True
    counted = sum(
        line_net_minor(line.quantity, line.unit_price, cur)
        for line in request.lines
        if line.supply is not SupplyKind.SERVICES
    )
    # The supply that crosses the threshold is itself taxed at destination (Art. 59c(2)).
    return current + from_minor(counted, cur) * _eur_rate(request, rates) > (
        DISTANCE_SALES_THRESHOLD_EUR
    )


def _eur_rate(request: QuoteRequest, rates: RateTable) -> Decimal:
    if request.currency.upper() == "EUR":
        return Decimal(1)
    if request.eur_exchange_rate is not None:
        return check_exchange_rate(request.eur_exchange_rate, field="eur_exchange_rate")
    national = rates.national_currency(request.seller.country, request.supply_date)
    if national == "EUR" and request.exchange_rate is not None:
        return check_exchange_rate(request.exchange_rate)
    raise ValidationError.single(
        "eur_exchange_rate" if national != "EUR" else "exchange_rate",
        "required",
        f"An exchange rate from {request.currency.upper()} to EUR is needed to check the "
        "EUR 10,000 threshold for distance sales.",
    )


# --- the decision table -------------------------------------------------------------------


def _decide(line: LineSpec, ctx: _Context) -> _Decision:
    place, kind = ctx.place, line.supply
    if place is Place.DOMESTIC:
        return _origin(line, ctx)  # row 1
    if place is Place.THIRD or (place is Place.NORTHERN_IRELAND and kind is not SupplyKind.GOODS):
        if kind is SupplyKind.GOODS:  # rows 7, 11: export
            return _exempt(VatCategory.EXPORT, wording.EXPORT, ctx)
        if ctx.business or kind is SupplyKind.ELECTRONIC_SERVICES or line.art59_service:
            return _exempt(VatCategory.OUTSIDE_SCOPE, wording.OUTSIDE_SCOPE, ctx)  # rows 8, 9
        return _origin(line, ctx)  # row 9: Art. 45 services to a non-EU consumer
    if ctx.business:
        if kind is SupplyKind.GOODS:  # rows 3, 10
            return _exempt(VatCategory.INTRA_COMMUNITY, wording.INTRA_COMMUNITY, ctx)
        return _exempt(VatCategory.REVERSE_CHARGE, wording.REVERSE_CHARGE, ctx)  # row 2
    if kind is SupplyKind.SERVICES or not ctx.destination:
        return _origin(line, ctx)  # rows 4, 5 below the threshold; row 6
    tax_country = "XI" if place is Place.NORTHERN_IRELAND else ctx.request.buyer.country
    return _charged(line, ctx, tax_country)  # rows 4, 5 above the threshold or opted in


def _exempt(category: VatCategory, code: str, ctx: _Context) -> _Decision:
    text = wording.exemption_text(code, ctx.request.language, ctx.request.seller.country)
    return _Decision(category, Decimal(0), code, text, None)


def _origin(line: LineSpec, ctx: _Context) -> _Decision:
    seller = ctx.request.seller
    if seller.small_business:  # row 13
        return _Decision(
            VatCategory.EXEMPT,
            Decimal(0),
            wording.small_business_code(seller.country),
            wording.small_business_text(seller.country, ctx.request.language),
            None,
        )
    return _charged(line, ctx, seller.country)


def _charged(line: LineSpec, ctx: _Context, tax_country: str) -> _Decision:
    rate_country = "GB" if tax_country == "XI" else tax_country
    rate_class = dict(line.rate_class_by_country).get(rate_country, line.rate_class)
    if rate_class is RateClass.ZERO:
        return _Decision(VatCategory.ZERO, Decimal(0), None, None, tax_country)
    if rate_class is RateClass.EXEMPT:
        text = wording.exemption_text(
            wording.EXEMPT_ART_132, ctx.request.language, ctx.request.seller.country
        )
        return _Decision(VatCategory.EXEMPT, Decimal(0), wording.EXEMPT_ART_132, text, tax_country)
    rate = ctx.rates.rate(rate_country, rate_class, ctx.request.supply_date)
    regional = ctx.territory
    if (
        regional is not None
        and regional.standard is not None
        and rate_country == regional.country
        and rate_class is RateClass.STANDARD
    ):
        rate = regional.standard  # e.g. Madeira, Azores
    return _Decision(VatCategory.STANDARD, rate, None, None, tax_country)


def _refuse_mixed_outside_scope(decisions: list[_Decision]) -> None:
    categories = {d.category for d in decisions}
    if VatCategory.OUTSIDE_SCOPE in categories and len(categories) > 1:
        raise ValidationError.single(
            "lines",
            "outside_scope_mixed",
            "Services outside the scope of EU VAT (category O) cannot share an invoice with "
            "other VAT categories (EN 16931 BR-O-11 to BR-O-14); put them on a separate invoice.",
        )


# --- what the invoice must carry -----------------------------------------------------------


def _requirements(
    ctx: _Context, decisions: list[_Decision], cur: Currency, vat_minor: int
) -> Requirements:
    request = ctx.request
    categories = {d.category for d in decisions}
    needs_buyer_number = bool(
        categories & {VatCategory.REVERSE_CHARGE, VatCategory.INTRA_COMMUNITY}
    )
    foreign = [
        d.tax_country for d in decisions if d.tax_country not in (None, request.seller.country)
    ]
    oss = request.seller.oss_registered and bool(foreign)
    notes = (wording.oss_note(str(foreign[0]), request.language),) if oss else ()
    accounting_currency: str | None = None
    accounting_vat: int | None = None
    national = ctx.rates.national_currency(request.seller.country, request.supply_date)
    if cur.code != national and (vat_minor or request.exchange_rate is not None):
        if request.exchange_rate is None:
            raise ValidationError.single(
                "exchange_rate",
                "required",
                f"The invoice is in {cur.code} but VAT must also be stated in {national} "
                "(Art. 230 Directive 2006/112/EC): give the exchange rate.",
            )
        accounting_currency = national
        rate = check_exchange_rate(request.exchange_rate)
        national_cur = currency(national)
        accounting_vat = check_amount(
            to_minor(from_minor(vat_minor, cur) * rate, national_cur),
            national_cur,
            f"The VAT in {national}",
            field="exchange_rate",
        )
    return Requirements(
        buyer_vat_number=needs_buyer_number,
        delivery_date=VatCategory.INTRA_COMMUNITY in categories,
        deliver_to_country=VatCategory.INTRA_COMMUNITY in categories,
        vat_accounting_currency=accounting_currency,
        vat_total_accounting_minor=accounting_vat,
        unverified_buyer_vat_number=needs_buyer_number and not request.buyer.vat_verified,
        oss=oss,
        omit_vat_identifiers=VatCategory.OUTSIDE_SCOPE in categories,
        notes=notes,
    )
