"""A plausible sample shop for demos, screenshots and benchmarks (`invoicer demo`).

A Dutch tea and consultancy business with customers across the EU and beyond, products of
every VAT kind, and invoices in every state: drafts, open, overdue, partly paid, paid and
credited. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import replace
from decimal import Decimal
from typing import Any

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.context import DayClock

SHOP: dict[str, Any] = {
    "legal_name": "Theehuis De Gouden Ketel B.V.",
    "trading_name": "De Gouden Ketel",
    "street": "Prinsengracht 263",
    "postcode": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "registration_number": "12345678",
    "email": "facturen@goudenketel.example",
    "phone": "+31 20 555 0123",
    "website": "https://goudenketel.example",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "currency": "EUR",
    "language": "nl",
    "payment_terms_days": 14,
    "vat_status": "oss",
}

NON_EU = ("US", "IS", "CH")  # buyers outside the EU VAT area (exports, services out of scope)

CUSTOMERS: list[dict[str, Any]] = [
    {
        "name": "Café Het Anker",
        "street": "Kade 12",
        "postcode": "3011 AB",
        "city": "Rotterdam",
        "country": "NL",
        "vat_number": "NL123456782B01",
        "language": "nl",
    },
    {
        "name": "Jan de Vries",
        "street": "Lindenlaan 4",
        "postcode": "3581 KL",
        "city": "Utrecht",
        "country": "NL",
        "language": "nl",
    },
    {
        "name": "Müller Feinkost GmbH",
        "street": "Marktplatz 5",
        "postcode": "80331",
        "city": "München",
        "country": "DE",
        "vat_number": "DE136695976",
        "language": "de",
    },
    {
        "name": "Brasserie Léon SPRL",
        "street": "Rue Haute 17",
        "postcode": "1000",
        "city": "Bruxelles",
        "country": "BE",
        "vat_number": "BE0403170701",
        "language": "fr",
    },
    {
        "name": "Ελληνικό Τσάι Α.Ε.",
        "street": "Οδός Ερμού 20",
        "postcode": "10563",
        "city": "Αθήνα",
        "country": "GR",
        "vat_number": "EL094501040",
        "language": "en",
    },
    {
        "name": "Belfast Tea Rooms Ltd",
        "street": "1 Donegall Sq",
        "postcode": "BT1 5GS",
        "city": "Belfast",
        "country": "GB",
        "vat_number": "XI980780684",
        "language": "en",
    },
    {
        "name": "Łukasz Żółkiewski",
        "street": "ul. Piotrkowska 1",
        "postcode": "90-001",
        "city": "Łódź",
        "country": "PL",
        "language": "en",
    },
    {
        "name": "Sophie Martin",
        "street": "5 rue des Lilas",
        "postcode": "69001",
        "city": "Lyon",
        "country": "FR",
        "language": "fr",
    },
    {
        "name": "Anna Gruber",
        "street": "Hauptstraße 8",
        "postcode": "1010",
        "city": "Wien",
        "country": "AT",
        "language": "de",
    },
    {
        "name": "Tenerife Té S.L.",
        "street": "Calle Castillo 3",
        "postcode": "38002",
        "city": "Santa Cruz de Tenerife",
        "country": "ES",
        "is_business": True,
        "language": "en",
    },
    {
        "name": "Acme Imports Inc.",
        "street": "500 Market St",
        "postcode": "94105",
        "city": "San Francisco",
        "country": "US",
        "is_business": True,
        "language": "en",
        "currency": "USD",
    },
    {
        "name": "Þórður Jónsson",
        "street": "Laugavegur 1",
        "postcode": "101",
        "city": "Reykjavík",
        "country": "IS",
        "language": "en",
    },
    {
        "name": "Bergkäserei Alpenblick AG",
        "street": "Dorfstrasse 8",
        "postcode": "3800",
        "city": "Interlaken",
        "country": "CH",
        "is_business": True,
        "language": "de",
    },
]

PRODUCTS: list[dict[str, Any]] = [
    {"name": "Sencha, 250 g", "unit_price": "12.50", "rate_class": "reduced", "sku": "T-SEN"},
    {
        "name": "Darjeeling First Flush, 100 g",
        "unit_price": "18.95",
        "rate_class": "reduced",
        "sku": "T-DAR",
    },
    {"name": "Cast-iron teapot", "unit_price": "64.00", "sku": "P-IRON"},
    {"name": "Porcelain cup", "unit_price": "7.25", "sku": "P-CUP"},
    {
        "name": "Tea tasting workshop",
        "unit_price": "350.00",
        "supply_kind": "services",
        "unit_code": "C62",
    },
    {
        "name": "Blending consultancy",
        "unit_price": "95.00",
        "supply_kind": "services",
        "unit_code": "HUR",
        "art59_service": True,
    },
    {
        "name": "Tea academy online course",
        "unit_price": "49.00",
        "supply_kind": "electronic_services",
    },
]


MAX_DEMO_INVOICES = 10_000  # about 6 minutes; enough to try lists, search and reports


def fill_demo(svc: Services, invoices: int = 200, seed: int = 1) -> None:
    """Fill an empty database with the sample shop and `invoices` documents."""
    if isinstance(invoices, bool) or not 0 <= invoices <= MAX_DEMO_INVOICES:
        raise ValidationError.single(
            "invoices",
            "out_of_range",
            f"A demo can have from 0 to {MAX_DEMO_INVOICES:,} invoices, not {invoices:,}.",
        )
    rng = random.Random(seed)
    if not svc.shop.is_set_up():
        svc.shop.save(ShopProfileChanges(**SHOP))
    customers = [svc.customers.add(NewCustomer(**c)) for c in CUSTOMERS]
    now = svc.ctx.clock.now()
    for customer in customers:
        if customer.vat_number and customer.country != "NL":
            svc.customers.record_vies_check(
                customer.id,
                True,
                now,
                customer.name.upper(),
                customer.city,
                f"WAPIDEMO{rng.randrange(10**6):06d}",
            )
    products = [svc.products.add(NewProduct(**p)) for p in PRODUCTS]
    today = svc.invoices.today()
    # A growing shop: more invoices in recent months than a year ago.
    dates = sorted(
        today - dt.timedelta(days=int(400 * rng.random() ** 1.5)) for _ in range(invoices)
    )
    last_credit = dates[0] if dates else today
    for index, day in enumerate(dates):
        customer = rng.choice(customers)
        services_only = customer.country in NON_EU and rng.random() < 0.5
        draft = svc.invoices.create_draft(
            NewDraft(
                customer_id=customer.id,
                issue_date=day,
                buyer_reference=f"PO-{rng.randrange(1000, 9999)}",
                exchange_rate="0.92" if (customer.currency or "EUR") != "EUR" else None,
            )
        )
        pool = [p for p in products if (p.supply_kind != "goods") == services_only] or products
        if customer.country in (*NON_EU, "GB") and not services_only:
            pool = [p for p in products if p.supply_kind == "goods"]
        # One service per non-EU invoice: category O cannot share an invoice (BR-O-11).
        count = 1 if services_only else min(len(pool), rng.randint(1, 4))
        for product in rng.sample(pool, k=count):
            svc.invoices.add_line(
                draft.id, NewLine(product_id=product.id, quantity=str(rng.randint(1, 12)))
            )
        if index >= invoices - max(1, invoices // 20):
            continue  # the newest few stay drafts
        issued = svc.invoices.issue(draft.id)
        fate = rng.random()
        age = (today - day).days
        paid_on = min(today, day + dt.timedelta(days=rng.randint(3, 40)))
        # Most customers pay within a few weeks, so old invoices are mostly settled and a
        # few stay overdue; recent ones are a mix of open, partially paid and paid.
        if 0.70 <= fate < 0.76:
            # Dated a little after its invoice (never before the previous note: the series
            # stays in date order), not all on the day the demo is made.
            credited_on = max(last_credit, min(today, day + dt.timedelta(days=rng.randint(2, 20))))
            last_credit = credited_on
            context = svc.credit_notes.ctx
            day_clock = DayClock(functools.partial(_same_day, credited_on), context.clock)
            svc.credit_notes.ctx = replace(context, clock=day_clock)
            try:
                svc.credit_notes.create(issued.id, NewCreditNote(reason="Returned goods"))
            finally:
                svc.credit_notes.ctx = context
        elif (fate < 0.55 and age > 5) or (age > 75 and fate < 0.90):
            svc.payments.add(
                issued.id, RecordPayment(amount=issued.gross, date=paid_on, reference=issued.number)
            )
        elif fate < 0.70 or fate >= 0.95:
            part = (issued.gross / 2).quantize(Decimal("0.01"))
            if part > 0:
                svc.payments.add(
                    issued.id, RecordPayment(amount=part, date=paid_on, reference=issued.number)
                )


def _same_day(day: dt.date) -> dt.date:
    return day
