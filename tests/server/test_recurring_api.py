"""Recurring templates over the API: set up, change, pause and run on the server (whose
templates it bills itself), another shop's template not found, bad input refused and nothing
stored (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import MovableClock, Shop, sign_up
from tests.server.security import assert_error_shape

CUSTOMER = {
    "name": "Jansen B.V.",
    "country": "NL",
    "street": "Kerkstraat 1",
    "postcode": "1017 GA",
    "city": "Amsterdam",
}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def _template(client: TestClient, shop: Shop, **fields: Any) -> dict[str, Any]:
    customer = _ok(client.post("/v1/customers", headers=shop.headers, json=CUSTOMER), 201)
    body = {
        "customer_id": customer["id"],
        "name": "Hosting",
        "frequency": "monthly",
        "start_date": "2026-03-02",
        "lines": [{"description": "Hosting", "unit_price": "20.00"}],
        "auto_issue": True,
    } | fields
    return _ok(client.post("/v1/recurring", headers=shop.headers, json=body), 201)


def test_a_template_set_up_over_the_api_is_billed_by_the_server(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    made = _template(client, shop)
    assert made["object"] == "recurring_template"
    assert made["next_due"] == "2026-03-02"
    listed = _ok(client.get("/v1/recurring", headers=shop.headers))
    assert [t["id"] for t in listed["data"]] == [made["id"]]
    run = _ok(client.post("/v1/recurring/run", headers=shop.headers))
    [invoice] = run["made"]
    assert invoice["issued"] is True
    assert invoice["number"].startswith("INV-2026-")
    again = _ok(client.post("/v1/recurring/run", headers=shop.headers))
    assert again["made"] == []
    changed = _ok(
        client.patch(
            f"/v1/recurring/{made['id']}",
            headers=shop.headers,
            json={"lines": [{"description": "Hosting", "unit_price": "25.00"}]},
        )
    )
    assert changed["lines"][0]["unit_price"] == "25.00"
    paused = _ok(client.post(f"/v1/recurring/{made['id']}/pause", headers=shop.headers))
    assert paused["paused"] is True
    resumed = _ok(client.post(f"/v1/recurring/{made['id']}/resume", headers=shop.headers))
    assert resumed["paused"] is False
    runs = _ok(client.get(f"/v1/recurring/{made['id']}/invoices", headers=shop.headers))
    assert [r["invoice_id"] for r in runs["data"]] == [invoice["invoice_id"]]


def test_another_shops_template_is_not_found(client: TestClient, shop: Shop) -> None:
    made = _template(client, shop)
    rival = sign_up(client, "rival@example.org", legal_name="Rival B.V.")
    for call, path in (
        (client.get, f"/v1/recurring/{made['id']}"),
        (client.post, f"/v1/recurring/{made['id']}/pause"),
        (client.get, f"/v1/recurring/{made['id']}/invoices"),
    ):
        assert_error_shape(call(path, headers=rival.headers), 404)
    assert _ok(client.get("/v1/recurring", headers=rival.headers))["data"] == []
    assert _ok(client.post("/v1/recurring/run", headers=rival.headers))["made"] == []


@pytest.mark.parametrize(
    "change",
    [
        {"frequency": "hourly"},
        {"start_date": "year 1"},
        {"lines": [{"description": "x", "unit_price": "1e999"}]},
        {"lines": [{"description": "\x00", "unit_price": "1"}]},
        {"lines": []},
        {"every": "many"},
        {"colour": "red"},
    ],
)
def test_bad_templates_are_refused_and_nothing_is_stored(
    client: TestClient, shop: Shop, change: dict[str, Any]
) -> None:
    customer = _ok(client.post("/v1/customers", headers=shop.headers, json=CUSTOMER), 201)
    body = {
        "customer_id": customer["id"],
        "frequency": "monthly",
        "start_date": "2026-03-02",
        "lines": [{"description": "Hosting", "unit_price": "20.00"}],
    } | change
    answer = client.post("/v1/recurring", headers=shop.headers, json=body)
    assert_error_shape(answer, 422)
    assert _ok(client.get("/v1/recurring", headers=shop.headers))["data"] == []
