"""An answer that carries a secret shown once (an API key, a device credential, an invitation,
a TOTP seed) is never kept by the Idempotency-Key store: a replay of its request is refused
plainly, makes nothing twice, and the secret is nowhere in the database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from invoicer.store.accounts_schema import IdempotentResponse
from tests.server.conftest import Shop
from tests.server.security import assert_error_shape

CALLS = [
    ("/v1/api-keys", {"name": "web store", "mode": "live"}, "secret", "/v1/api-keys"),
    ("/v1/sync/devices", {"name": "Laptop"}, "token", "/v1/sync/devices"),
    (
        "/v1/users",
        {"email": "new.user@example.com", "role": "user"},
        "invitation_token",
        "/v1/users",
    ),
    ("/v1/me/totp", None, "secret", None),
]


def stored_bodies(client: TestClient) -> bytes:
    db = client.app.state.invoicer.db  # type: ignore[attr-defined]
    with db.read() as session:
        return b"".join(session.execute(select(IdempotentResponse.body)).scalars())


@pytest.mark.parametrize(("path", "body", "field", "listed"), CALLS)
def test_a_replayed_secret_answer_is_refused_and_the_secret_never_stored(
    client: TestClient, shop: Shop, path: str, body: Any, field: str, listed: str | None
) -> None:
    headers = {**shop.headers, "Idempotency-Key": "once-1"}
    first = client.post(path, headers=headers, json=body)
    assert first.status_code in (200, 201), first.text
    secret = first.json()[field]
    before = client.get(listed, headers=shop.headers).json()["data"] if listed else None
    again = client.post(path, headers=headers, json=body)
    error = assert_error_shape(again, 409)
    assert error["code"] == "secret_shown_once"
    assert secret not in again.text
    if listed:
        assert client.get(listed, headers=shop.headers).json()["data"] == before
    assert secret.encode() not in stored_bodies(client)
