"""The first path through the API: sign up, create a customer, see it, and not another shop's."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.conftest import Shop


def test_sign_up_then_customers_are_the_shops_own(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    made = client.post(
        "/v1/customers", headers=shop.headers, json={"name": "Jansen B.V.", "country": "NL"}
    )
    assert made.status_code == 201, made.text
    customer = made.json()
    assert customer["object"] == "customer"
    assert customer["name"] == "Jansen B.V."
    listed = client.get("/v1/customers", headers=shop.headers).json()
    assert [c["id"] for c in listed["data"]] == [customer["id"]]
    assert client.get("/v1/customers", headers=other_shop.headers).json()["data"] == []
    assert (
        client.get(f"/v1/customers/{customer['id']}", headers=other_shop.headers).status_code == 404
    )
