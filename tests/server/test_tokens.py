"""Access tokens and refresh tokens under attack: tampered, forged, expired, incomplete and
stale JWTs are refused; logout ends a login at once; a refresh token is good once, and a
replayed one ends its whole family; the refresh cookie cannot be read by scripts or sent
cross-site."""

from __future__ import annotations

import base64
import dataclasses
import json
import warnings
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.server.tokens import ALGORITHM
from invoicer.store.database import open_database
from tests.server.conftest import PASSWORD, SECRET, MovableClock, Shop, make_config, sign_up
from tests.server.security import (
    assert_error_shape,
    events,
    make_rows,
    sign_in_headers,
    superadmin_headers,
)


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})  # type: ignore[no-any-return]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forged(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(signature)]
    )


def refused(client: TestClient, token: str, code: str | None = None) -> None:
    answer = client.get("/v1/me", headers=bearer(token))
    error = assert_error_shape(answer, 401)
    if code is not None:
        assert error["code"] == code, error


def test_the_genuine_token_works(client: TestClient, shop: Shop) -> None:
    answer = client.get("/v1/me", headers=shop.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == shop.user_id
    claims = claims_of(shop.token)
    assert jwt.get_unverified_header(shop.token)["alg"] == ALGORITHM
    for name in ("exp", "iat", "sub", "shop", "role", "jti"):
        assert name in claims
    assert claims["sub"] == shop.user_id
    assert claims["shop"] == shop.shop_id


def test_alg_none_is_refused(client: TestClient, shop: Shop) -> None:
    claims = claims_of(shop.token)
    for alg in ("none", "None", "NONE"):
        refused(client, forged({"alg": alg, "typ": "JWT"}, claims))
    refused(client, jwt.encode(claims, None, algorithm="none"))  # type: ignore[arg-type]


def test_a_token_signed_with_another_key_is_refused(client: TestClient, shop: Shop) -> None:
    claims = claims_of(shop.token)
    refused(client, jwt.encode(claims, "another-secret-" + "y" * 40, algorithm="HS256"))


def test_other_algorithms_are_refused_even_with_the_right_secret(
    client: TestClient, shop: Shop
) -> None:
    claims = claims_of(shop.token)
    with warnings.catch_warnings():  # PyJWT warns of the secret's length for HS512
        warnings.simplefilter("ignore")
        refused(client, jwt.encode(claims, SECRET, algorithm="HS512"))
        refused(client, jwt.encode(claims, SECRET, algorithm="HS384"))
    # RS256 "signed" with the HMAC secret as if it were a public key (the classic confusion).
    header_and_claims = shop.token.rsplit(".", 1)[0]
    signature = shop.token.rsplit(".", 1)[1]
    rs_header = b64(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    refused(client, rs_header + "." + header_and_claims.split(".")[1] + "." + signature)
    refused(client, forged({"alg": "RS256", "typ": "JWT"}, claims, b"\x00" * 256))
    refused(client, forged({"alg": "EdDSA", "typ": "JWT"}, claims, b"\x01" * 64))


def test_a_tampered_payload_is_refused(client: TestClient, shop: Shop, other_shop: Shop) -> None:
    header, _, signature = shop.token.split(".")
    claims = claims_of(shop.token)
    for change in (
        {"role": "superadmin"},
        {"shop": other_shop.shop_id},
        {"sub": other_shop.user_id},
        {"exp": claims["exp"] + 3600},
    ):
        body = b64(json.dumps({**claims, **change}).encode())
        refused(client, f"{header}.{body}.{signature}")


def test_garbage_is_refused(client: TestClient) -> None:
    for token in ("x", "a.b.c", "..", "eyJ.eyJ.", "Bearer", "é" * 10, "sk_live_", "sk_test_x"):
        value = f"Bearer {token}".encode()
        answer = client.get("/v1/me", headers={"Authorization": value})  # type: ignore[dict-item]
        assert_error_shape(answer, 401)
    assert_error_shape(client.get("/v1/me"), 401)


def test_the_token_expires_after_15_minutes_by_the_servers_clock(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    clock.advance(minutes=14, seconds=59)
    assert client.get("/v1/me", headers=shop.headers).status_code == 200
    clock.advance(seconds=2)
    refused(client, shop.token, "token_expired")


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "sid", "jti", "aud", "iss"])
def test_a_token_missing_a_claim_is_refused(client: TestClient, shop: Shop, claim: str) -> None:
    claims = claims_of(shop.token)
    del claims[claim]
    refused(client, jwt.encode(claims, SECRET, algorithm=ALGORITHM))


@pytest.mark.parametrize(
    "change", [{"exp": "tomorrow"}, {"sub": 12}, {"sid": None}, {"exp": 1.0e20}]
)
def test_a_token_with_claims_of_the_wrong_type_is_refused(
    client: TestClient, shop: Shop, change: dict[str, Any]
) -> None:
    claims = {**claims_of(shop.token), **change}
    refused(client, jwt.encode(claims, SECRET, algorithm=ALGORITHM))


def test_a_removed_users_token_is_refused_at_once(client: TestClient, shop: Shop) -> None:
    invited = client.post(
        "/v1/users", headers=shop.headers, json={"email": "clerk@example.com", "role": "admin"}
    )
    assert invited.status_code == 201, invited.text
    accepted = client.post(
        "/v1/auth/invitations/accept",
        json={"token": invited.json()["invitation_token"], "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    clerk = bearer(accepted.json()["access_token"])
    refresh_token = accepted.json()["refresh_token"]
    assert client.get("/v1/me", headers=clerk).status_code == 200
    removed = client.delete(f"/v1/users/{invited.json()['user']['id']}", headers=shop.headers)
    assert removed.status_code == 204, removed.text
    assert_error_shape(client.get("/v1/me", headers=clerk), 401)
    assert_error_shape(client.get("/v1/customers", headers=clerk), 401)
    client.cookies.clear()
    assert_error_shape(client.post("/v1/auth/refresh", json={"refresh_token": refresh_token}), 401)
    answer = client.post(
        "/v1/auth/token", data={"username": "clerk@example.com", "password": PASSWORD}
    )
    assert_error_shape(answer, 401)


def test_another_shops_token_cannot_read_this_shop(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    rows = make_rows(client, shop)
    customer = rows.ids["customer_id"][0]
    assert client.get(f"/v1/customers/{customer}", headers=shop.headers).status_code == 200
    assert_error_shape(client.get(f"/v1/customers/{customer}", headers=other_shop.headers), 404)
    listed = client.get("/v1/customers", headers=other_shop.headers).json()
    assert listed["data"] == []
    users = client.get("/v1/users", headers=other_shop.headers).json()["data"]
    assert {u["shop_id"] for u in users} == {other_shop.shop_id}
    keys = client.get("/v1/api-keys", headers=other_shop.headers).json()["data"]
    assert keys == []


def _login(client: TestClient, email: str = "owner@example.com") -> dict[str, Any]:
    client.cookies.clear()
    answer = client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _refresh(client: TestClient, token: str) -> Any:
    client.cookies.clear()  # the body's token, not the jar's
    return client.post("/v1/auth/refresh", json={"refresh_token": token})


def test_logout_ends_the_access_and_the_refresh_token_at_once(
    client: TestClient, shop: Shop
) -> None:
    login = _login(client)
    access = bearer(login["access_token"])
    assert client.get("/v1/me", headers=access).status_code == 200
    # The cookie the login set is what the browser sends back to /v1/auth/logout.
    assert client.cookies.get("invoicer_refresh") == login["refresh_token"]
    out = client.post("/v1/auth/logout")
    assert out.status_code == 204, out.text
    assert_error_shape(client.get("/v1/me", headers=access), 401)
    assert_error_shape(_refresh(client, login["refresh_token"]), 401)
    # Other logins of the same user are not ended by this one's logout.
    assert client.get("/v1/me", headers=shop.headers).status_code == 200


def test_logout_with_the_refresh_token_in_the_body(client: TestClient, shop: Shop) -> None:
    login = _login(client)
    client.cookies.clear()
    assert (
        client.post("/v1/auth/logout", json={"refresh_token": login["refresh_token"]}).status_code
        == 204
    )
    assert_error_shape(client.get("/v1/me", headers=bearer(login["access_token"])), 401)


def test_each_refresh_gives_new_tokens(client: TestClient, shop: Shop, clock: MovableClock) -> None:
    login = _login(client)
    seen_refresh = {login["refresh_token"]}
    seen_access = {login["access_token"]}
    token = login["refresh_token"]
    for _ in range(3):
        clock.advance(seconds=1)
        answer = _refresh(client, token)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["refresh_token"] not in seen_refresh
        assert body["access_token"] not in seen_access
        assert client.get("/v1/me", headers=bearer(body["access_token"])).status_code == 200
        seen_refresh.add(body["refresh_token"])
        seen_access.add(body["access_token"])
        token = body["refresh_token"]
    assert claims_of(body["access_token"])["sid"] == claims_of(login["access_token"])["sid"]


def test_a_reused_refresh_token_ends_its_whole_family(
    client: TestClient, shop: Shop, clock: MovableClock
) -> None:
    admin = superadmin_headers(client)
    login = _login(client)
    first = login["refresh_token"]
    second = _refresh(client, first).json()
    third = _refresh(client, second["refresh_token"]).json()
    newest_access = bearer(third["access_token"])
    assert client.get("/v1/me", headers=newest_access).status_code == 200

    replay = _refresh(client, first)  # a copy of the first token, used by someone else
    assert_error_shape(replay, 401)
    assert_error_shape(_refresh(client, third["refresh_token"]), 401)
    assert_error_shape(_refresh(client, second["refresh_token"]), 401)
    assert_error_shape(client.get("/v1/me", headers=newest_access), 401)
    noted = events(client, admin, "refresh_token_reused")
    assert len(noted) == 1
    assert noted[0]["shop_id"] == shop.shop_id
    assert noted[0]["actor"] == shop.email
    assert first not in json.dumps(noted)  # no secret in the log
    # Other logins go on.
    assert client.get("/v1/me", headers=shop.headers).status_code == 200


def test_a_refresh_token_is_not_an_access_token(client: TestClient, shop: Shop) -> None:
    login = _login(client)
    refused(client, login["refresh_token"])
    assert_error_shape(_refresh(client, login["access_token"]), 401)
    assert_error_shape(_refresh(client, ""), 401)


def test_a_refresh_token_expires(client: TestClient, shop: Shop, clock: MovableClock) -> None:
    login = _login(client)
    clock.advance(days=31)
    assert_error_shape(_refresh(client, login["refresh_token"]), 401)


def _cookie(response: Any) -> SimpleCookie:
    headers = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]
    assert len(headers) == 1, headers
    jar: SimpleCookie = SimpleCookie()
    jar.load(headers[0])
    assert "invoicer_refresh" in jar, headers
    return jar


def _attributes(response: Any) -> dict[str, Any]:
    header = next(v for k, v in response.headers.multi_items() if k.lower() == "set-cookie")
    parts = [p.strip() for p in header.split(";")]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts}


def test_the_refresh_cookie_is_httponly_strict_and_scoped_to_auth(
    client: TestClient, shop: Shop
) -> None:
    client.cookies.clear()
    answer = client.post("/v1/auth/token", data={"username": shop.email, "password": PASSWORD})
    _cookie(answer)
    attributes = _attributes(answer)
    assert attributes.get("httponly") is True
    assert str(attributes.get("samesite")).lower() == "strict"
    assert attributes.get("path") == "/v1/auth"
    assert "secure" not in attributes  # this app's config: secure_cookies=False (plain http)
    assert int(attributes["max-age"]) > 0
    refreshed = _refresh(client, answer.json()["refresh_token"])
    assert _attributes(refreshed).get("httponly") is True


def test_the_refresh_cookie_is_secure_when_configured(tmp_path: Path, clock: MovableClock) -> None:
    config = dataclasses.replace(make_config(str(tmp_path / "secure.sqlite")), secure_cookies=True)
    db = open_database(config.database)
    try:
        app = create_app(config, db=db, clock=clock)
        with TestClient(app, base_url="https://testserver") as client:
            sign_up(client)
            client.cookies.clear()
            answer = client.post(
                "/v1/auth/token", data={"username": "owner@example.com", "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            attributes = _attributes(answer)
            assert attributes.get("secure") is True
            assert attributes.get("httponly") is True
            assert str(attributes.get("samesite")).lower() == "strict"
            assert "max-age=31536000" in answer.headers.get("strict-transport-security", "")
            out = client.post("/v1/auth/logout")
            assert _attributes(out).get("secure") is True
    finally:
        db.close()


def test_sign_in_answers_the_same_for_a_wrong_password_and_an_unknown_account(
    client: TestClient, shop: Shop
) -> None:
    wrong = client.post("/v1/auth/token", data={"username": shop.email, "password": "nope" * 3})
    unknown = client.post(
        "/v1/auth/token", data={"username": "nobody@example.com", "password": "nope" * 3}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert sign_in_headers(client, shop.email)
