"""Quotes over the API: the whole life of a quote, its PDF, strict bodies (1e999, NUL), and
another shop's quote ids answered 404, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pypdf
from fastapi.testclient import TestClient

from tests.server.conftest import Shop

CUSTOMER = {
    "name": "Jansen & Zn. B.V.",
    "country": "NL",
    "street": "Kerkstraat 12",
    "postcode": "1017 GA",
    "city": "Amsterdam",
}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def _quote(client: TestClient, shop: Shop, *prices: str) -> dict[str, Any]:
    customer = _ok(client.post("/v1/customers", headers=shop.headers, json=CUSTOMER), 201)
    made = _ok(
        client.post("/v1/quotes", headers=shop.headers, json={"customer_id": customer["id"]}), 201
    )
    for index, price in enumerate(prices):
        line = {"description": f"Item {index + 1}", "unit_price": price}
        made = _ok(
            client.post(f"/v1/quotes/{made['id']}/lines", headers=shop.headers, json=line), 201
        )
    return made


def test_a_quote_is_issued_accepted_and_converted(client: TestClient, shop: Shop) -> None:
    draft = _quote(client, shop, "10.00", "20.00", "5.00")
    assert draft["object"] == "quote"
    assert draft["gross"] == 4235  # minor units
    draft = _ok(client.delete(f"/v1/quotes/{draft['id']}/lines/3", headers=shop.headers))
    issued = _ok(client.post(f"/v1/quotes/{draft['id']}/issue", headers=shop.headers))
    assert issued["number"].startswith("QUO-")
    assert issued["status"] == "issued"
    assert issued["valid_until"] is not None
    refused = client.post(
        f"/v1/quotes/{draft['id']}/lines",
        headers=shop.headers,
        json={"description": "x", "unit_price": "1"},
    )
    assert refused.status_code == 409, refused.text
    _ok(client.post(f"/v1/quotes/{issued['number']}/mark-sent", headers=shop.headers))
    _ok(client.post(f"/v1/quotes/{issued['id']}/accept", headers=shop.headers))
    listed = _ok(client.get("/v1/quotes?status=accepted", headers=shop.headers))
    assert [item["id"] for item in listed["data"]] == [issued["id"]]
    invoice = _ok(
        client.post(
            f"/v1/quotes/{issued['id']}/convert", headers=shop.headers, json={"positions": [2]}
        ),
        201,
    )
    assert invoice["object"] == "invoice"
    assert invoice["status"] == "draft"
    assert [line["description"] for line in invoice["lines"]] == ["Item 2"]
    again = _ok(client.get(f"/v1/quotes/{issued['id']}", headers=shop.headers))
    assert again["invoice_id"] == invoice["id"]
    pdf = client.get(f"/v1/quotes/{issued['id']}/pdf", headers=shop.headers)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Offerte" in text or "Quote" in text


def test_odd_values_are_refused_plainly(client: TestClient, shop: Shop) -> None:
    draft = _quote(client, shop, "10.00")
    headers = {**shop.headers, "Content-Type": "application/json"}
    for body in (
        b'{"description": "x", "unit_price": 1e999}',
        b'{"description": "x", "unit_price": "1e999"}',
        b'{"description": "a\\u0000b", "unit_price": "1"}',
        b'{"description": "x", "unit_price": "1", "quantity": 1e999}',
    ):
        response = client.post(f"/v1/quotes/{draft['id']}/lines", headers=headers, content=body)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["type"] == "validation"
    for positions in ("1", [True], [1.5]):
        response = client.post(
            f"/v1/quotes/{draft['id']}/convert", headers=shop.headers, json={"positions": positions}
        )
        assert response.status_code in (409, 422), response.text
    assert client.get("/v1/quotes/nope%00", headers=shop.headers).status_code == 404
    assert _ok(client.get(f"/v1/quotes/{draft['id']}", headers=shop.headers))["gross"] == 1210


def test_another_shops_quote_is_not_found(client: TestClient, shop: Shop, other_shop: Shop) -> None:
    draft = _quote(client, shop, "10.00")
    for method, path in (
        ("get", f"/v1/quotes/{draft['id']}"),
        ("post", f"/v1/quotes/{draft['id']}/issue"),
        ("get", f"/v1/quotes/{draft['id']}/pdf"),
    ):
        response = getattr(client, method)(path, headers=other_shop.headers)
        assert response.status_code == 404, response.text
    assert _ok(client.get("/v1/quotes", headers=other_shop.headers))["data"] == []
