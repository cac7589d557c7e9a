"""Reports and the audit trail over the API: each shop sees its own figures and events only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, RecordPayment
from invoicer.services.views import Invoice
from tests.server.conftest import MovableClock, Shop
from tests.server.test_shop_api import assert_error, shop_services, user_of
from tests.tampering import tamper


def issue(svc: Services, price: str, customer: str = "Jan Jansen") -> Invoice:
    cid = svc.customers.add(
        NewCustomer(
            name=customer, country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=cid))
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id)


@pytest.fixture
def books(client: TestClient, shop: Shop, other_shop: Shop) -> dict[str, Any]:
    """The shop issued two invoices and was paid one; the rival issued one of its own."""
    mine, rivals = shop_services(client, shop), shop_services(client, other_shop)
    first, second = issue(mine, "100.00"), issue(mine, "50.00")
    mine.payments.add(first.id, RecordPayment(amount=str(first.gross)))
    rival = issue(rivals, "7000.00", "Rival's customer")
    return {"mine": (first, second), "rival": rival}


def test_stats_are_the_shops_revenue_per_day_paid_and_open(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any], clock: MovableClock
) -> None:
    first, second = books["mine"]
    stats = client.get("/v1/reports/stats", headers=shop.headers, params={"days": 30})
    assert stats.status_code == 200, stats.text
    body = stats.json()
    assert body["end"] == clock.today().isoformat()
    assert body["start"] == (clock.today() - dt.timedelta(days=29)).isoformat()
    [day] = body["days"]
    assert (day["day"], day["currency"], day["count"]) == (first.issue_date.isoformat(), "EUR", 2)
    assert Decimal(day["gross"]) == first.gross + second.gross
    [eur] = body["currencies"]
    assert Decimal(eur["paid"]) == first.gross
    assert Decimal(eur["open"]) == second.gross
    assert Decimal(eur["invoiced"]) == first.gross + second.gross
    rival = client.get("/v1/reports/stats", headers=other_shop.headers).json()
    assert [Decimal(d["gross"]) for d in rival["days"]] == [books["rival"].gross]
    clerk = user_of(client, shop)
    assert client.get("/v1/reports/stats", headers=clerk).status_code == 200


def test_revenue_stats_service_counts_only_the_period(
    client: TestClient, shop: Shop, books: dict[str, Any]
) -> None:
    svc = shop_services(client, shop)
    first, second = books["mine"]
    today = svc.today()
    assert svc.reports.revenue_stats(1).days[0].gross == first.gross + second.gross
    assert svc.reports.revenue_stats(1, end=today - dt.timedelta(days=1)).days == ()
    for days in (0, 367, True):
        with pytest.raises(ValidationError):
            svc.reports.revenue_stats(days)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", ["0", "367", "1e999", "x", "3\x00"])
def test_odd_stats_periods_are_refused(client: TestClient, shop: Shop, days: str) -> None:
    assert_error(client.get("/v1/reports/stats", headers=shop.headers, params={"days": days}), 422)


def test_the_vat_summary_and_ageing_are_the_shops_own(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any], clock: MovableClock
) -> None:
    first, second = books["mine"]
    day = clock.today().isoformat()
    summary = client.get(
        "/v1/reports/vat-summary", headers=shop.headers, params={"start": day, "end": day}
    )
    assert summary.status_code == 200, summary.text
    rows = summary.json()["rows"]
    assert sum(Decimal(r["taxable"]) for r in rows) == first.net + second.net
    rival = client.get(
        "/v1/reports/vat-summary", headers=other_shop.headers, params={"start": day, "end": day}
    ).json()
    assert sum(Decimal(r["taxable"]) for r in rival["rows"]) == books["rival"].net
    aging = client.get("/v1/reports/aging", headers=shop.headers, params={"as_of": day})
    assert aging.status_code == 200, aging.text
    assert sum(Decimal(r["amount"]) for r in aging.json()["data"]) == second.gross
    assert sum(r["count"] for r in aging.json()["data"]) == 1
    theirs = client.get("/v1/reports/aging", headers=other_shop.headers).json()["data"]
    assert sum(Decimal(r["amount"]) for r in theirs) == books["rival"].gross


@pytest.mark.parametrize(
    "params",
    [
        {"start": "0001-01-01", "end": "2026-03-31"},
        {"start": "2026-03-31", "end": "2026-03-01"},
        {"start": "2026-02-31", "end": "2026-03-01"},
        {"start": "2026-03-01\x00", "end": "2026-03-31"},
        {"start": "2026-03-01"},
    ],
)
def test_odd_vat_summary_periods_are_refused(
    client: TestClient, shop: Shop, params: dict[str, str]
) -> None:
    assert_error(client.get("/v1/reports/vat-summary", headers=shop.headers, params=params), 422)


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "yesterday", "2026-03-01\x00"])
def test_odd_ageing_days_are_refused(client: TestClient, shop: Shop, as_of: str) -> None:
    response = client.get("/v1/reports/aging", headers=shop.headers, params={"as_of": as_of})
    assert_error(response, 422, "as_of")


def test_the_audit_trail_is_the_shops_own_page_by_page(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any]
) -> None:
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/audit/events", headers=shop.headers, params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        seen += body["data"]
        cursor = body["next_cursor"]
        assert body["has_more"] is (cursor is not None)
        if cursor is None:
            break
    seqs = [event["seq"] for event in seen]
    assert seqs == sorted(set(seqs))
    assert len(seqs) > 2
    mine = {e["entity_id"] for e in seen}
    assert {books["mine"][0].id, books["mine"][1].id} <= mine
    assert books["rival"].id not in mine
    theirs = client.get("/v1/audit/events", headers=other_shop.headers, params={"limit": 100})
    their_ids = {e["entity_id"] for e in theirs.json()["data"]}
    assert books["rival"].id in their_ids
    assert not their_ids & {books["mine"][0].id}
    bad = client.get("/v1/audit/events", headers=shop.headers, params={"cursor": "x"})
    assert_error(bad, 422)


def test_audit_verify_checks_the_shops_trail(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any]
) -> None:
    verified = client.get("/v1/audit/verify", headers=shop.headers)
    assert verified.status_code == 200, verified.text
    report = verified.json()
    assert report["ok"] is True, report["problems"]
    mine = client.get("/v1/audit/events", headers=shop.headers, params={"limit": 100}).json()
    assert report["events"] == len(mine["data"])
    assert client.get("/v1/audit/verify", headers=other_shop.headers).json()["ok"] is True
    clerk = user_of(client, shop)
    assert client.get("/v1/audit/events", headers=clerk).status_code == 200
    assert_error(client.get("/v1/audit/verify", headers=clerk), 403)


def test_audit_verify_reports_only_the_shops_own_problems(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any], server_db: str
) -> None:
    rival = books["rival"]
    tamper(
        server_db if "://" in server_db else Path(server_db),
        f"UPDATE invoices SET paid_minor = paid_minor + 1 WHERE id = '{rival.id}'",
        "UPDATE vat_day_totals SET taxable_minor = taxable_minor + 1 "
        f"WHERE shop_id = '{other_shop.shop_id}'",
    )
    theirs = client.get("/v1/audit/verify", headers=other_shop.headers).json()
    assert theirs["ok"] is False
    assert {"paid", "vat_totals"} <= {p["kind"] for p in theirs["problems"]}
    mine = client.get("/v1/audit/verify", headers=shop.headers).json()
    assert mine["ok"] is True, mine["problems"]


def test_the_dashboard_of_a_server_shop_is_its_own(
    client: TestClient, shop: Shop, other_shop: Shop, books: dict[str, Any]
) -> None:
    """The dashboard's plain SQL (no session to scope it) names the shop itself."""
    first, second = books["mine"]
    mine = shop_services(client, shop).reports.dashboard()
    assert {s.id for s in mine.latest} == {first.id, second.id}
    assert mine.revenue_30d == first.net + second.net
    assert mine.open_total == second.gross
    theirs = shop_services(client, other_shop).reports.dashboard()
    assert [s.id for s in theirs.latest] == [books["rival"].id]
    assert theirs.revenue_30d == books["rival"].net
