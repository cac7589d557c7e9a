"""A shop's own secrets on the server: stored by its admins in the server's keyring under
the shop's id, never in the database or an answer, seen by that shop's services only."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from invoicer.server.auth import shop_services
from tests.keyrings import MemoryKeyring
from tests.server.conftest import Shop
from tests.server.security import assert_error_shape

STRIPE_KEY = "sk_test_shop_owned_4242424242"


def _services(client: TestClient, shop: Shop):  # type: ignore[no-untyped-def]
    return shop_services(client.app.state.invoicer, shop.shop_id, "test")  # type: ignore[attr-defined]


def _stored(client: TestClient, shop: Shop) -> dict[str, bool]:
    answer = client.get("/v1/shop/secrets", headers=shop.headers)
    assert answer.status_code == 200, answer.text
    return {row["name"]: row["stored"] for row in answer.json()["data"]}


def test_a_stored_secret_is_the_shops_own_and_never_shown(
    client: TestClient,
    shop: Shop,
    other_shop: Shop,
    memory_keyring: MemoryKeyring,
    server_db: str,
) -> None:
    stored = client.put(
        "/v1/shop/secrets/stripe_secret_key", headers=shop.headers, json={"value": STRIPE_KEY}
    )
    assert stored.status_code == 204, stored.text
    assert _stored(client, shop)["stripe_secret_key"] is True
    assert _stored(client, other_shop)["stripe_secret_key"] is False
    assert _services(client, shop).ctx.secrets.get_secret("stripe_secret_key") == STRIPE_KEY
    assert _services(client, other_shop).ctx.secrets.get_secret("stripe_secret_key") is None
    assert ("invoicer-server", f"{shop.shop_id}/stripe_secret_key") in memory_keyring.entries
    assert STRIPE_KEY not in client.get("/v1/shop/secrets", headers=shop.headers).text
    if not server_db.startswith("postgresql"):
        assert STRIPE_KEY.encode() not in Path(server_db).read_bytes()

    deleted = client.delete("/v1/shop/secrets/stripe_secret_key", headers=shop.headers)
    assert deleted.status_code == 204
    assert _stored(client, shop)["stripe_secret_key"] is False
    assert _services(client, shop).ctx.secrets.get_secret("stripe_secret_key") is None


def test_a_generated_webhook_secret_is_shown_once(
    client: TestClient, shop: Shop, memory_keyring: MemoryKeyring
) -> None:
    headers = {**shop.headers, "Idempotency-Key": "gen-1"}
    made = client.post("/v1/shop/secrets/onecom_webhook_secret/generate", headers=headers)
    assert made.status_code == 201, made.text
    value = made.json()["value"]
    assert value.startswith("whsec_")
    assert len(value) > 40
    assert _services(client, shop).ctx.secrets.get_secret("onecom_webhook_secret") == value
    again = client.post("/v1/shop/secrets/onecom_webhook_secret/generate", headers=headers)
    assert assert_error_shape(again, 409)["code"] == "secret_shown_once"
    assert value not in again.text
    provider_given = client.post(
        "/v1/shop/secrets/stripe_secret_key/generate", headers=shop.headers
    )
    assert assert_error_shape(provider_given, 422)["code"] == "not_generated"


@pytest.mark.parametrize(
    ("name", "value", "param"),
    [
        ("no_such_secret", "x", "name"),
        ("stripe_secret_key", "", "value"),
        ("stripe_secret_key", "   ", "value"),
        ("stripe_secret_key", "sk_test_\x00nul", "value"),
        ("stripe_secret_key", "two\nlines", "value"),
        ("stripe_secret_key", "x" * 5000, "value"),
    ],
)
def test_bad_secrets_are_refused_and_nothing_is_stored(
    client: TestClient,
    shop: Shop,
    memory_keyring: MemoryKeyring,
    name: str,
    value: str,
    param: str,
) -> None:
    answer = client.put(f"/v1/shop/secrets/{name}", headers=shop.headers, json={"value": value})
    error = assert_error_shape(answer, 422)
    assert error["param"] == param
    assert value.strip() == "" or value not in answer.text
    assert memory_keyring.entries == {}


def test_without_a_keyring_storing_says_so_and_the_environment_still_serves(
    client: TestClient, shop: Shop, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = client.put(
        "/v1/shop/secrets/stripe_secret_key", headers=shop.headers, json={"value": STRIPE_KEY}
    )
    error = assert_error_shape(answer, 503)
    assert "keyring" in error["message"].lower()
    assert STRIPE_KEY not in answer.text
    monkeypatch.setenv("INVOICER_SECRET_STRIPE_SECRET_KEY", "sk_test_server_wide")
    assert _services(client, shop).ctx.secrets.get_secret("stripe_secret_key") == (
        "sk_test_server_wide"
    )
