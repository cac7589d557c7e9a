"""Roles on every route, from the route table: an admin's route refuses a `user` and an API
key (403), a superadmin's route refuses every shop credential (403), a shop's route refuses
the superadmin (who has no shop), and a suspended shop's credentials are refused (403)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from invoicer.server import auth
from tests.server.conftest import PASSWORD, Shop
from tests.server.security import (
    assert_error_shape,
    create_key,
    key_headers,
    superadmin_headers,
)
from tests.server.test_tenancy_routes import minimal_body, needs, path_params, v1_routes


def _member(client: TestClient, shop: Shop, role: str) -> dict[str, str]:
    invited = client.post(
        "/v1/users", headers=shop.headers, json={"email": f"{role}.x@example.com", "role": role}
    )
    assert invited.status_code == 201, invited.text
    accepted = client.post(
        "/v1/auth/invitations/accept",
        json={"token": invited.json()["invitation_token"], "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    return {"Authorization": f"Bearer {accepted.json()['access_token']}"}


def _call(client: TestClient, route: Any, method: str, headers: dict[str, str]) -> Any:
    values = {name: str(uuid.uuid4()) for name in path_params(route)}
    body = minimal_body(client.app, route, method)
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return client.request(method, route.path_format.format(**values), **kwargs)


def test_every_route_refuses_the_roles_it_is_not_for(client: TestClient, shop: Shop) -> None:
    callers = {
        "user": _member(client, shop, "user"),
        "sk_live key": key_headers(create_key(client, shop, "live")["secret"]),
        "sk_test key": key_headers(create_key(client, shop, "test")["secret"]),
        "admin": shop.headers,
        "superadmin": superadmin_headers(client),
    }
    failures = []
    checked = set()
    for route in v1_routes(client.app):
        if needs(route, auth.superadmin):
            refused = ["user", "sk_live key", "sk_test key", "admin"]
        elif needs(route, auth.shop_admin_or_key):  # registering a sync device
            refused = ["user", "superadmin"]
        elif needs(route, auth.shop_admin):
            refused = ["user", "sk_live key", "sk_test key", "superadmin"]
        elif needs(route, auth.shop_member):
            refused = ["superadmin"]
        else:
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            for who in refused:
                checked.add(who)
                answer = _call(client, route, method, callers[who])
                if answer.status_code != 403:
                    failures.append(
                        f"{method} {route.path_format} as {who}: {answer.status_code} "
                        f"{answer.text[:200]}"
                    )
                else:
                    assert_error_shape(answer)
    assert not failures, "\n".join(failures)
    assert checked == {"user", "sk_live key", "sk_test key", "admin", "superadmin"}


def test_an_unauthenticated_call_is_401_on_every_route_that_needs_a_sign_in(
    client: TestClient,
) -> None:
    failures = []
    for route in v1_routes(client.app):
        if not needs(route, auth.principal):
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            answer = _call(client, route, method, {})
            if answer.status_code != 401:
                failures.append(f"{method} {route.path_format}: {answer.status_code}")
            else:
                assert_error_shape(answer)
    assert not failures, "\n".join(failures)


def test_a_demoted_admin_loses_the_admins_routes_at_once(client: TestClient, shop: Shop) -> None:
    second = _member(client, shop, "admin")
    assert client.get("/v1/users", headers=second).status_code == 200
    me = client.get("/v1/me", headers=second).json()
    changed = client.post(f"/v1/users/{me['id']}/role", headers=shop.headers, json={"role": "user"})
    assert changed.status_code == 200, changed.text
    assert_error_shape(client.get("/v1/users", headers=second), 403)
    assert_error_shape(client.get("/v1/api-keys", headers=second), 403)


def test_a_suspended_shops_credentials_are_refused(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    platform = superadmin_headers(client)
    key = key_headers(create_key(client, shop, "test")["secret"])
    suspended = client.post(
        f"/v1/platform/shops/{shop.shop_id}/suspension", headers=platform, json={"suspended": True}
    )
    assert suspended.status_code == 200, suspended.text
    for headers in (shop.headers, key):
        assert_error_shape(client.get("/v1/customers", headers=headers), 403)
    assert client.get("/v1/customers", headers=other_shop.headers).status_code == 200
    client.post(
        f"/v1/platform/shops/{shop.shop_id}/suspension", headers=platform, json={"suspended": False}
    )
    assert client.get("/v1/customers", headers=key).status_code == 200
