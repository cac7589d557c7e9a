"""API keys: their shape and entropy, shown once and never again (lists carry only the
prefix), revocation and expiry in effect at the very next request, test keys and live keys
each blind to the other mode's data, last use recorded, only admins create them, and Stripe's
HTTP Basic form (the key as the user name) accepted."""

from __future__ import annotations

import base64
import hashlib
import json

from fastapi.testclient import TestClient

from tests.server.conftest import PASSWORD, MovableClock, Shop
from tests.server.security import assert_error_shape, create_key, key_headers


def test_keys_have_their_mode_prefix_and_at_least_32_random_bytes(
    client: TestClient, shop: Shop
) -> None:
    secrets = set()
    for mode in ("live", "test", "live", "test"):
        made = create_key(client, shop, mode)
        secret = made["secret"]
        prefix = f"sk_{mode}_"
        assert secret.startswith(prefix)
        body = secret[len(prefix) :]
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        assert len(raw) >= 32
        assert made["mode"] == mode
        assert secret.startswith(made["prefix"])
        assert len(made["prefix"]) < len(secret) - 32
        secrets.add(secret)
    assert len(secrets) == 4


def test_the_secret_is_shown_once_and_never_listed(client: TestClient, shop: Shop) -> None:
    made = create_key(client, shop, "live")
    secret = made["secret"]
    hashed = hashlib.sha256(secret.encode()).hexdigest()
    listed = client.get("/v1/api-keys", headers=shop.headers)
    assert listed.status_code == 200, listed.text
    text = listed.text
    assert secret not in text
    assert hashed not in text
    assert secret[len(made["prefix"]) :][:16] not in text
    (row,) = listed.json()["data"]
    assert row["prefix"] == made["prefix"]
    assert "secret" not in row
    assert not any("hash" in name for name in row)
    assert hashed not in json.dumps(made)


def test_a_revoked_key_is_refused_at_the_next_request(client: TestClient, shop: Shop) -> None:
    made = create_key(client, shop, "live")
    headers = key_headers(made["secret"])
    assert client.get("/v1/customers", headers=headers).status_code == 200
    revoked = client.delete(f"/v1/api-keys/{made['id']}", headers=shop.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"]
    error = assert_error_shape(client.get("/v1/customers", headers=headers), 401)
    assert error["code"] == "invalid_api_key"
    assert made["secret"] not in error["message"]


def test_an_expired_key_is_refused(client: TestClient, shop: Shop, clock: MovableClock) -> None:
    made = create_key(client, shop, "live", expires_at="2026-03-03")
    headers = key_headers(made["secret"])
    assert client.get("/v1/customers", headers=headers).status_code == 200
    clock.advance(hours=14, minutes=59)  # 23:59 on the 2nd
    assert client.get("/v1/customers", headers=headers).status_code == 200
    clock.advance(minutes=1)
    assert_error_shape(client.get("/v1/customers", headers=headers), 401)


def test_an_expiry_in_the_past_is_refused(client: TestClient, shop: Shop) -> None:
    answer = client.post(
        "/v1/api-keys",
        headers=shop.headers,
        json={"name": "old", "mode": "live", "expires_at": "2020-01-01"},
    )
    assert assert_error_shape(answer, 422)["param"] == "expires_at"


def test_test_keys_and_live_keys_see_only_their_own_mode(client: TestClient, shop: Shop) -> None:
    live = key_headers(create_key(client, shop, "live")["secret"])
    test = key_headers(create_key(client, shop, "test")["secret"])
    live_customer = client.post(
        "/v1/customers", headers=live, json={"name": "Live B.V.", "country": "NL"}
    ).json()
    test_customer = client.post(
        "/v1/customers", headers=test, json={"name": "Test B.V.", "country": "NL"}
    ).json()

    def names(headers: dict[str, str]) -> list[str]:
        answer = client.get("/v1/customers", headers=headers)
        assert answer.status_code == 200, answer.text
        return [c["name"] for c in answer.json()["data"]]

    assert names(live) == ["Live B.V."]
    assert names(shop.headers) == ["Live B.V."]  # the admin's sign-in is live mode
    assert names(test) == ["Test B.V."]
    assert_error_shape(client.get(f"/v1/customers/{live_customer['id']}", headers=test), 404)
    assert_error_shape(client.get(f"/v1/customers/{test_customer['id']}", headers=live), 404)
    assert_error_shape(
        client.patch(
            f"/v1/customers/{live_customer['id']}", headers=test, json={"name": "Changed"}
        ),
        404,
    )
    assert names(live) == ["Live B.V."]
    me = client.get("/v1/me", headers=test).json()
    assert me["mode"] == "test"


def test_last_used_at_moves(client: TestClient, shop: Shop, clock: MovableClock) -> None:
    made = create_key(client, shop, "live")
    assert made["last_used_at"] is None

    def last_used() -> str | None:
        rows = client.get("/v1/api-keys", headers=shop.headers).json()["data"]
        return next(r["last_used_at"] for r in rows if r["id"] == made["id"])

    assert last_used() is None
    client.get("/v1/customers", headers=key_headers(made["secret"]))
    first = last_used()
    assert first is not None
    clock.advance(minutes=5)
    client.get("/v1/customers", headers=key_headers(made["secret"]))
    second = last_used()
    assert second is not None
    assert second > first


def _member(client: TestClient, shop: Shop, role: str) -> dict[str, str]:
    invited = client.post(
        "/v1/users", headers=shop.headers, json={"email": f"{role}@example.com", "role": role}
    )
    assert invited.status_code == 201, invited.text
    accepted = client.post(
        "/v1/auth/invitations/accept",
        json={"token": invited.json()["invitation_token"], "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    return {"Authorization": f"Bearer {accepted.json()['access_token']}"}


def test_a_user_role_and_an_api_key_cannot_manage_keys(client: TestClient, shop: Shop) -> None:
    made = create_key(client, shop, "live")
    for headers in (_member(client, shop, "user"), key_headers(made["secret"])):
        body = {"name": "mine", "mode": "live"}
        assert_error_shape(client.post("/v1/api-keys", headers=headers, json=body), 403)
        assert_error_shape(client.get("/v1/api-keys", headers=headers), 403)
        assert_error_shape(client.delete(f"/v1/api-keys/{made['id']}", headers=headers), 403)
    assert len(client.get("/v1/api-keys", headers=shop.headers).json()["data"]) == 1
    still = client.get("/v1/customers", headers=key_headers(made["secret"]))
    assert still.status_code == 200


def test_a_key_as_the_http_basic_user_name(client: TestClient, shop: Shop) -> None:
    made = create_key(client, shop, "live")
    answer = client.get("/v1/customers", auth=(made["secret"], ""))
    assert answer.status_code == 200, answer.text
    assert client.get("/v1/me", auth=(made["secret"], "")).json()["kind"] == "api_key"
    assert_error_shape(client.get("/v1/customers", auth=(made["secret"] + "x", "")), 401)
    assert_error_shape(client.get("/v1/customers", auth=("sk_live_nope", "")), 401)
    assert_error_shape(client.get("/v1/customers", auth=(shop.email, PASSWORD)), 401)
    client.delete(f"/v1/api-keys/{made['id']}", headers=shop.headers)
    assert_error_shape(client.get("/v1/customers", auth=(made["secret"], "")), 401)


def test_a_key_name_with_a_nul_is_refused(client: TestClient, shop: Shop) -> None:
    answer = client.post(
        "/v1/api-keys", headers=shop.headers, json={"name": "till\u0000", "mode": "live"}
    )
    assert_error_shape(answer, 422)
    answer = client.post(
        "/v1/api-keys", headers=shop.headers, json={"name": "till", "mode": "prod"}
    )
    assert_error_shape(answer, 422)
    assert client.get("/v1/api-keys", headers=shop.headers).json()["data"] == []


def test_a_revoked_key_gets_no_replay_of_an_idempotent_answer(
    client: TestClient, shop: Shop
) -> None:
    made = create_key(client, shop, "live")
    headers = {**key_headers(made["secret"]), "Idempotency-Key": "order-1"}
    body = {"name": "Jansen", "country": "NL"}
    first = client.post("/v1/customers", headers=headers, json=body)
    assert first.status_code == 201, first.text
    again = client.post("/v1/customers", headers=headers, json=body)
    assert again.json() == first.json()  # the replay, while the key is good
    client.delete(f"/v1/api-keys/{made['id']}", headers=shop.headers)
    assert_error_shape(client.post("/v1/customers", headers=headers, json=body), 401)


def test_an_ended_login_gets_no_replay_of_an_idempotent_answer(
    client: TestClient, shop: Shop
) -> None:
    client.cookies.clear()
    login = client.post("/v1/auth/token", data={"username": shop.email, "password": PASSWORD})
    headers = {
        "Authorization": f"Bearer {login.json()['access_token']}",
        "Idempotency-Key": "k-1",
    }
    body = {"name": "Brood", "unit_price": "2.50"}
    assert client.post("/v1/products", headers=headers, json=body).status_code == 201
    client.cookies.clear()
    client.post("/v1/auth/logout", json={"refresh_token": login.json()["refresh_token"]})
    assert_error_shape(client.post("/v1/products", headers=headers, json=body), 401)


def test_an_expiry_past_the_calendar_is_refused_not_a_500(client: TestClient, shop: Shop) -> None:
    for value in ("9999-12-31T23:59:59-23:59", "9999-12-31", "10000-01-01", "2027-02-30"):
        answer = client.post(
            "/v1/api-keys",
            headers=shop.headers,
            json={"name": "far", "mode": "live", "expires_at": value},
        )
        assert assert_error_shape(answer, 422)["param"] == "expires_at", value
