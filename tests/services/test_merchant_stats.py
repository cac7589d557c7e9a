"""MerchantStatsService: issued and received per day, paid against open and the top customers
of the last N days, per currency, on a real store (a SQLite file, and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.context import DayClock, FixedClock
from invoicer.services.views import CurrencyStats, Invoice, MerchantStats
from tests.services.conftest import SHOP, TODAY, Clock


def customer(svc: Services, name: str, currency: str | None = None) -> str:
    return svc.customers.add(
        NewCustomer(
            name=name,
            country="NL",
            street="Kerkstraat 1",
            postcode="1017 GA",
            city="Amsterdam",
            currency=currency,
        )
    ).id


def issue(svc: Services, customer_id: str, price: str, currency: str | None = None) -> Invoice:
    rate = "0.9" if currency not in (None, "EUR") else None
    draft = svc.invoices.create_draft(
        NewDraft(customer_id=customer_id, currency=currency, exchange_rate=rate)
    )
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id)


def pay(svc: Services, invoice: Invoice, amount: Decimal, day: dt.date) -> None:
    svc.payments.add(invoice.id, RecordPayment(amount=str(amount), date=day))


def of(stats: MerchantStats, code: str) -> CurrencyStats:
    [found] = [c for c in stats.currencies if c.currency == code]
    return found


def figures(stats: CurrencyStats) -> dict[dt.date, tuple[Decimal, Decimal]]:
    """The days with something on them: (issued, received)."""
    return {d.day: (d.issued, d.received) for d in stats.days if d.issued or d.received}


@pytest.fixture
def books(shop: Services, clock: Clock) -> dict[str, Invoice]:
    """Three days of EUR and USD invoices, payments on later days, a credit note; one EUR
    invoice a day before a 3-day window ending on TODAY."""
    jan, piet, sam = customer(shop, "Jan"), customer(shop, "Piet"), customer(shop, "Sam", "USD")
    clock.today = TODAY - dt.timedelta(days=3)
    old = issue(shop, jan, "1000.00")  # outside the 3-day window
    clock.today = TODAY - dt.timedelta(days=2)
    first = issue(shop, jan, "100.00")  # 121.00 gross
    dollars = issue(shop, sam, "200.00", "USD")
    clock.today = TODAY - dt.timedelta(days=1)
    second = issue(shop, piet, "50.00")  # 60.50
    pay(shop, old, old.gross, TODAY - dt.timedelta(days=1))  # received in the window
    pay(shop, first, first.gross, TODAY - dt.timedelta(days=1))
    clock.today = TODAY
    pay(shop, dollars, Decimal("100.00"), TODAY)
    note = shop.credit_notes.create(second.id, NewCreditNote(reason="Returned"))
    return {"old": old, "first": first, "dollars": dollars, "second": second, "note": note}


def test_issued_and_received_per_day_per_currency(
    shop: Services, books: dict[str, Invoice]
) -> None:
    stats = shop.merchant_stats.stats(3)
    assert (stats.start, stats.end, stats.days) == (TODAY - dt.timedelta(days=2), TODAY, 3)
    assert [c.currency for c in stats.currencies] == ["EUR", "USD"]  # the shop's first
    eur, usd = of(stats, "EUR"), of(stats, "USD")
    assert [d.day for d in eur.days] == [TODAY - dt.timedelta(days=n) for n in (2, 1, 0)]
    assert figures(eur) == {
        TODAY - dt.timedelta(days=2): (Decimal("121.00"), Decimal(0)),
        TODAY - dt.timedelta(days=1): (Decimal("60.50"), Decimal("1331.00")),
        TODAY: (Decimal("-60.50"), Decimal(0)),  # the credit note takes it back
    }
    assert figures(usd) == {
        TODAY - dt.timedelta(days=2): (Decimal("242.00"), Decimal(0)),
        TODAY: (Decimal(0), Decimal("100.00")),
    }
    assert (eur.issued, eur.received) == (Decimal("121.00"), Decimal("1331.00"))
    assert (usd.issued, usd.received) == (Decimal("242.00"), Decimal("100.00"))


def test_paid_against_open_of_the_windows_invoices(
    shop: Services, books: dict[str, Invoice]
) -> None:
    stats = shop.merchant_stats.stats(3)
    eur, usd = of(stats, "EUR"), of(stats, "USD")
    # EUR: the first paid, the second credited in full (settled); the old one is outside.
    assert (eur.invoices, eur.paid_count, eur.open_count) == (2, 2, 0)
    assert (eur.paid, eur.open) == (Decimal("121.00"), Decimal(0))
    assert (usd.invoices, usd.paid_count, usd.open_count) == (1, 0, 1)
    assert (usd.paid, usd.open) == (Decimal("100.00"), Decimal("142.00"))
    week = of(shop.merchant_stats.stats(7), "EUR")
    assert (week.invoices, week.paid_count, week.paid) == (3, 3, Decimal("1331.00"))


def test_top_customers_per_currency(shop: Services, books: dict[str, Invoice]) -> None:
    stats = shop.merchant_stats.stats(3)
    eur, usd = of(stats, "EUR"), of(stats, "USD")
    # Piet's invoice was credited in full: 0.00 from two documents.
    assert [(t.name, t.issued, t.count) for t in eur.top_customers] == [
        ("Jan", Decimal("121.00"), 1),
        ("Piet", Decimal("0.00"), 2),
    ]
    assert [(t.name, t.issued) for t in usd.top_customers] == [("Sam", Decimal("242.00"))]
    week = of(shop.merchant_stats.stats(7), "EUR")
    assert week.top_customers[0].issued == Decimal("1331.00")


def test_only_five_top_customers_biggest_first(shop: Services) -> None:
    for n in range(1, 8):
        issue(shop, customer(shop, f"Customer {n}"), f"{n}0.00")
    top = of(shop.merchant_stats.stats(1), "EUR").top_customers
    assert [t.name for t in top] == [f"Customer {n}" for n in (7, 6, 5, 4, 3)]


def test_the_window_edge(shop: Services, books: dict[str, Invoice]) -> None:
    one = of(shop.merchant_stats.stats(1), "EUR")
    assert [d.day for d in one.days] == [TODAY]
    assert (one.issued, one.received, one.invoices) == (Decimal("-60.50"), Decimal(0), 0)
    yesterday = of(shop.merchant_stats.stats(1, end=TODAY - dt.timedelta(days=1)), "EUR")
    assert (yesterday.issued, yesterday.received) == (Decimal("60.50"), Decimal("1331.00"))
    four = of(shop.merchant_stats.stats(4), "EUR")
    assert four.days[0].issued == books["old"].gross  # the 4th day back is in
    later = shop.merchant_stats.stats(2, end=TODAY + dt.timedelta(days=30))
    assert all(not d.issued and not d.received for c in later.currencies for d in c.days)


def test_an_empty_shop_has_its_currency_with_zero_days(shop: Services) -> None:
    stats = shop.merchant_stats.stats(366)
    [eur] = stats.currencies
    assert len(eur.days) == 366
    assert (eur.issued, eur.received, eur.invoices, eur.top_customers) == (0, 0, 0, ())


def test_the_window_ends_on_the_shops_day_not_the_utc_date(tmp_path: Path) -> None:
    """At 23:30 UTC on the 15th it is already the 16th in Amsterdam in summer: the merchant's
    clock says the 16th, and the window ends there."""
    instant = FixedClock(dt.datetime(2026, 7, 15, 23, 30, tzinfo=dt.UTC))
    local_day = dt.date(2026, 7, 16)
    with open_services(tmp_path / "tz.sqlite", clock=DayClock(lambda: local_day, instant)) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        invoice = issue(svc, customer(svc, "Jan"), "10.00")
        assert invoice.issue_date == local_day
        pay(svc, invoice, invoice.gross, local_day)
        [eur] = svc.merchant_stats.stats(1).currencies
        assert [(d.day, d.issued, d.received) for d in eur.days] == [
            (local_day, Decimal("12.10"), Decimal("12.10"))
        ]


@pytest.mark.parametrize("days", [0, -1, 367, True, "30", 1.5, None])
def test_odd_windows_are_refused(shop: Services, days: object) -> None:
    with pytest.raises(ValidationError) as refused:
        shop.merchant_stats.stats(days)  # type: ignore[arg-type]
    assert "from 1 to 366" in str(refused.value)
