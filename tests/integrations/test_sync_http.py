"""The sync transport's own rules, which a healthy server never shows: retries with backoff
on network errors and 5xx, the server's error object as a domain error (message, code, a
gap's resend_from), and the credential never in a message. (Every route itself is tested
against the real server in tests/sync.)"""

from __future__ import annotations

import httpx
import pytest

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.integrations.sync_http import (
    RemoteConflict,
    RemoteRefused,
    SyncHttp,
    SyncUnavailable,
)
from invoicer.services.errors import error_payload

TOKEN = "dv_" + "s" * 43


def _http(handler: object, sleeps: list[float]) -> SyncHttp:
    return SyncHttp(
        "https://sync.example/",
        token=TOKEN,
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        sleep=sleeps.append,
    )


def test_network_errors_and_5xx_are_retried_with_backoff_then_answer() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(calls) == 2:
            return httpx.Response(503, json={"error": {"message": "busy"}})
        return httpx.Response(200, json={"object": "sync_state", "head": 7})

    sleeps: list[float] = []
    assert _http(handler, sleeps).state()["head"] == 7
    assert len(calls) == 3
    assert sleeps == [0.5, 1.0]
    assert {r.headers["Invoicer-Schema"] for r in calls} == {"2"}
    assert calls[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_retried_post_carries_the_same_idempotency_key() -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) < 2:
            return httpx.Response(502)
        return httpx.Response(200, json={"results": []})

    _http(handler, []).push([])
    assert len(keys) == 2
    assert keys[0] == keys[1]


def test_a_server_that_stays_down_is_unavailable_without_the_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    sleeps: list[float] = []
    with pytest.raises(SyncUnavailable) as caught:
        _http(handler, sleeps).events(None, 500)
    assert len(sleeps) == 2
    assert "https://sync.example" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert error_payload(caught.value)["error"]["type"] == "unavailable"


def _refusing(status: int, **error: object) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"type": "x", **error}})

    return handler


def test_the_servers_error_object_becomes_a_domain_error_keeping_its_words() -> None:
    sleeps: list[float] = []
    gap = _refusing(409, code="sync_gap", message="Send from 4.", resend_from=4)
    with pytest.raises(RemoteConflict) as caught:
        _http(gap, sleeps).push([])
    assert isinstance(caught.value, Conflict)
    assert (caught.value.code, caught.value.resend_from) == ("sync_gap", 4)
    assert str(caught.value) == "Send from 4."
    assert sleeps == []  # a refusal is not retried

    with pytest.raises(NotFound):
        _http(_refusing(404, code="not_found", message="No device."), sleeps).revoke("a", "d")
    with pytest.raises(ValidationError) as invalid:
        _http(
            _refusing(
                422,
                code="invalid",
                message="m",
                problems=[{"param": "name", "code": "too_long", "message": "Too long."}],
            ),
            sleeps,
        ).register("admin", name="x" * 99, history=False)
    assert invalid.value.problems[0].field == "name"
    with pytest.raises(RemoteRefused) as revoked:
        _http(_refusing(403, code="device_revoked", message="Revoked."), sleeps).events(None, 1)
    assert error_payload(revoked.value)["error"]["code"] == "device_revoked"
    assert TOKEN not in repr(_http(gap, sleeps))
