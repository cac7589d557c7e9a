"""The server's side of sync (issue 20, docs/sync.md) through its HTTP API, on SQLite and
PostgreSQL: devices registered, listed and revoked by an admin; real device stores' events
pushed (stored, duplicate, gap, fork, refused) and the shop's feed pulled from a cursor."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from invoicer.server.auth import services_for
from invoicer.services.sync import protocol
from tests.server.conftest import Shop
from tests.server.security import admin_principal
from tests.server.sync_devices import (
    device_headers,
    register,
)


def _push(client: TestClient, token: str, events: list[dict[str, Any]], **kw: Any) -> Any:
    return client.post(
        "/v1/sync/push", headers=device_headers(token, **kw), json={"events": events}
    )


def _pull_all(client: TestClient, token: str, limit: int = 500) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        answer = client.get("/v1/sync/events", headers=device_headers(token), params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        events += body["events"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return events


def test_a_device_registers_without_its_history(client: TestClient, shop: Shop) -> None:
    first = register(client, shop.headers, name="Laptop in the shop")
    assert first["object"] == "sync_device"
    assert first["token"].startswith(protocol.TOKEN_PREFIX)
    assert (first["code"], first["series_prefix"]) == ("A", "A")
    assert first["chains"] == [first["device_id"]]
    assert first["shop_id"] == shop.shop_id
    assert len(first["epoch"]) == 16
    second = register(client, shop.headers, name="Desktop at home")
    assert (second["code"], second["series_prefix"]) == ("B", "B")
    assert second["epoch"] == first["epoch"]
    svc = services_for(client.app.state.invoicer, admin_principal(client.app, shop))  # type: ignore[attr-defined]
    devices = {d.id: (d.code, d.series_prefix) for d in svc.devices.list()}
    assert devices == {
        "server": ("WEB", "WEB"),
        first["device_id"]: ("A", "A"),
        second["device_id"]: ("B", "B"),
    }
