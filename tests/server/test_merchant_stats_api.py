"""GET /v1/merchant/stats on a real server database (a SQLite file and PostgreSQL): the shop's
own figures per day and currency in minor units, never another shop's; odd windows refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, RecordPayment
from invoicer.services.views import Invoice
from tests.server.conftest import MovableClock, Shop
from tests.server.test_shop_api import assert_error, shop_services, user_of

ROUTE = "/v1/merchant/stats"


def issue(
    svc: Services,
    price: str,
    customer: str,
    currency: str | None = None,
    day: dt.date | None = None,
) -> Invoice:
    cid = svc.customers.add(
        NewCustomer(
            name=customer, country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    rate = "0.9" if currency not in (None, "EUR") else None
    draft = svc.invoices.create_draft(
        NewDraft(customer_id=cid, currency=currency, exchange_rate=rate, issue_date=day)
    )
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id)


@pytest.fixture
def books(client: TestClient, shop: Shop, other_shop: Shop, clock: MovableClock) -> dict[str, Any]:
    """Yesterday the shop issued 121.00 EUR to Jan and 242.00 USD to Sam (dated back); today Jan
    paid and it issued 60.50 EUR to Piet. The rival issued and was paid 8330.00 EUR today.
    (The clock stays: moving it would expire the tokens.)"""
    mine, rivals = shop_services(client, shop), shop_services(client, other_shop)
    yesterday = clock.today() - dt.timedelta(days=1)
    jan = issue(mine, "100.00", "Jan", day=yesterday)
    sam = issue(mine, "200.00", "Sam", "USD", day=yesterday)
    mine.payments.add(jan.id, RecordPayment(amount=str(jan.gross)))
    piet = issue(mine, "50.00", "Piet")
    rival = issue(rivals, "7000.00", "Rival's customer")
    rivals.payments.add(rival.id, RecordPayment(amount=str(rival.gross)))
    return {"jan": jan, "sam": sam, "piet": piet, "rival": rival}


def by_currency(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["currency"]: c for c in body["currencies"]}


def test_the_shops_figures_per_day_and_currency_in_minor_units(
    client: TestClient, shop: Shop, books: dict[str, Any], clock: MovableClock
) -> None:
    answer = client.get(ROUTE, headers=shop.headers, params={"days": 2})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    today = clock.today()
    yesterday = today - dt.timedelta(days=1)
    assert (body["object"], body["days"]) == ("merchant_stats", 2)
    assert (body["start"], body["end"]) == (yesterday.isoformat(), today.isoformat())
    eur, usd = by_currency(body)["EUR"], by_currency(body)["USD"]
    assert [c["currency"] for c in body["currencies"]] == ["EUR", "USD"]
    assert eur["days"] == [
        {"day": yesterday.isoformat(), "issued": 12100, "received": 0},
        {"day": today.isoformat(), "issued": 6050, "received": 12100},
    ]
    assert usd["days"] == [
        {"day": yesterday.isoformat(), "issued": 24200, "received": 0},
        {"day": today.isoformat(), "issued": 0, "received": 0},
    ]
    assert (eur["issued"], eur["received"]) == (18150, 12100)
    assert (eur["invoices"], eur["paid_count"], eur["open_count"]) == (2, 1, 1)
    assert (eur["paid"], eur["open"]) == (12100, 6050)
    assert (usd["paid_count"], usd["open_count"], usd["open"]) == (0, 1, 24200)
    assert [(t["name"], t["issued"], t["count"]) for t in eur["top_customers"]] == [
        ("Jan", 12100, 1),
        ("Piet", 6050, 1),
    ]
    assert [t["name"] for t in usd["top_customers"]] == ["Sam"]
    one = by_currency(client.get(ROUTE, headers=shop.headers, params={"days": 1}).json())
    assert one["EUR"]["days"] == [{"day": today.isoformat(), "issued": 6050, "received": 12100}]


def test_another_shops_data_is_never_counted(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any]
) -> None:
    mine = by_currency(client.get(ROUTE, headers=shop.headers).json())
    assert mine["EUR"]["issued"] == 18150  # not the rival's 833000
    assert "Rival's customer" not in {t["name"] for t in mine["EUR"]["top_customers"]}
    theirs = client.get(ROUTE, headers=other_shop.headers).json()
    assert [c["currency"] for c in theirs["currencies"]] == ["EUR"]
    [eur] = theirs["currencies"]
    # 7000.00 and 19% German VAT
    assert (eur["issued"], eur["received"], eur["invoices"]) == (833000, 833000, 1)
    assert [t["name"] for t in eur["top_customers"]] == ["Rival's customer"]


def test_thirty_days_by_default_for_every_member(
    client: TestClient, shop: Shop, books: dict[str, Any]
) -> None:
    clerk = user_of(client, shop)
    answer = client.get(ROUTE, headers=clerk)
    assert answer.status_code == 200, answer.text
    assert answer.json()["days"] == 30
    assert all(len(c["days"]) == 30 for c in answer.json()["currencies"])
    assert client.get(ROUTE).status_code == 401


@pytest.mark.parametrize(
    "days", ["0", "367", "-1", "1e999", "30.5", "x", "", "٣", " 30", "99999999999999"]
)
def test_odd_windows_are_refused_with_a_clear_message(
    client: TestClient, shop: Shop, days: str
) -> None:
    error = assert_error(client.get(ROUTE, headers=shop.headers, params={"days": days}), 422)
    assert (error["param"], error["code"]) == ("days", "out_of_range")
    assert error["message"] == "days must be a whole number from 1 to 366."


def test_the_longest_window(client: TestClient, shop: Shop) -> None:
    answer = client.get(ROUTE, headers=shop.headers, params={"days": 366})
    assert answer.status_code == 200, answer.text
    [eur] = answer.json()["currencies"]
    assert len(eur["days"]) == 366
    assert (eur["issued"], eur["top_customers"]) == (0, [])


@pytest.mark.parametrize("days", ["3\x00", "\x00"])
def test_a_nul_in_the_window_is_refused_before_the_route(
    client: TestClient, shop: Shop, days: str
) -> None:
    error = assert_error(client.get(ROUTE, headers=shop.headers, params={"days": days}), 422)
    assert (error["param"], error["code"]) == ("days", "control_character")
