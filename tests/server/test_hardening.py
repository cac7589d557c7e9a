"""What every request meets before and after its route: CORS limited to the configured
origins, security headers, a body-size cap (413, with or without Content-Length, nothing
written), malformed and mistyped bodies refused with the one error shape (never a
traceback), and hostile strings stored exactly as sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.store.database import open_database
from tests.server.conftest import MovableClock, Shop, make_config, sign_up
from tests.server.security import TRACEBACK, assert_error_shape

ALLOWED = "https://shop.example"


@pytest.fixture
def cors_client(tmp_path: Path, clock: MovableClock) -> Iterator[TestClient]:
    config = make_config(str(tmp_path / "cors.sqlite"), cors_origins=(ALLOWED,))
    db = open_database(config.database)
    try:
        with TestClient(create_app(config, db=db, clock=clock)) as client:
            yield client
    finally:
        db.close()


def preflight(client: TestClient, origin: str, path: str = "/v1/customers") -> Any:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_cors_preflight_from_an_unknown_origin_is_not_allowed(cors_client: TestClient) -> None:
    for origin in ("https://evil.example", "https://shop.example.evil.net", "null"):
        answer = preflight(cors_client, origin)
        assert "access-control-allow-origin" not in answer.headers, answer.headers
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "cors_refused"
        simple = cors_client.get("/v1/customers", headers={"Origin": origin})
        assert "access-control-allow-origin" not in simple.headers


def test_cors_preflight_from_the_configured_origin_is_allowed(cors_client: TestClient) -> None:
    answer = preflight(cors_client, ALLOWED)
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == ALLOWED
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert "POST" in answer.headers["access-control-allow-methods"]
    shop = sign_up(cors_client)
    simple = cors_client.get("/v1/customers", headers={"Origin": ALLOWED, **shop.headers})
    assert simple.status_code == 200
    assert simple.headers["access-control-allow-origin"] == ALLOWED


def test_without_configured_origins_no_cross_origin_call_is_allowed(client: TestClient) -> None:
    answer = preflight(client, ALLOWED)
    assert "access-control-allow-origin" not in answer.headers


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def test_security_headers_on_every_kind_of_answer(client: TestClient, shop: Shop) -> None:
    answers = [
        client.get("/v1/customers", headers=shop.headers),  # 200
        client.get("/v1/customers"),  # 401
        client.get("/v1/nothing-here"),  # 404
        client.post("/v1/customers", headers=shop.headers, content=b"{"),  # 422
        client.get("/healthz"),
    ]
    for answer in answers:
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.request.url, answer.headers)
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert answer.headers.get("x-request-id")
    for answer in answers[:4]:
        assert answer.headers["cache-control"] == "no-store"


def _customers(client: TestClient, shop: Shop) -> list[dict[str, Any]]:
    answer = client.get("/v1/customers", headers=shop.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]  # type: ignore[no-any-return]


def _big_body(size: int) -> bytes:
    return json.dumps({"name": "x" * size, "country": "NL"}).encode()


def test_an_oversized_body_with_content_length_is_413(client: TestClient, shop: Shop) -> None:
    limit = client.app.state.invoicer.config.max_body_bytes  # type: ignore[attr-defined]
    body = _big_body(limit + 10)
    answer = client.post(
        "/v1/customers",
        headers={**shop.headers, "Content-Type": "application/json"},
        content=body,
    )
    error = assert_error_shape(answer, 413)
    assert error["code"] == "too_large"
    assert _customers(client, shop) == []


def test_an_oversized_chunked_body_is_413(client: TestClient, shop: Shop) -> None:
    limit = client.app.state.invoicer.config.max_body_bytes  # type: ignore[attr-defined]
    body = _big_body(limit + 10)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    answer = client.post(
        "/v1/customers",
        headers={**shop.headers, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert "content-length" not in {k.lower() for k in answer.request.headers}
    error = assert_error_shape(answer, 413)
    assert error["code"] == "too_large"
    assert _customers(client, shop) == []


def test_a_lying_content_length_does_not_get_past_the_cap(tmp_path: Path) -> None:
    """The cap counts what arrives, whatever the header says (here, at the ASGI level)."""
    import asyncio

    config = make_config(str(tmp_path / "cap.sqlite"), max_body_bytes=100)
    db = open_database(config.database)
    app = create_app(config, db=db)
    sent: list[dict[str, Any]] = []
    pieces = [b"{" + b'"name": "' + b"x" * 200, b'"}']

    async def receive() -> dict[str, Any]:
        body = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": body, "more_body": bool(pieces)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/auth/signup",
        "raw_path": b"/v1/auth/signup",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"10")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    try:
        asyncio.run(app(scope, receive, send))
    finally:
        db.close()
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert json.loads(body)["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    "content",
    [b"{", b"{'name': 'x'}", b'{"name": "x",}', b"\xff\xfe", b"", b"null", b"[]", b'"x"', b"1"],
)
def test_malformed_json_is_422_with_the_error_shape(
    client: TestClient, shop: Shop, content: bytes
) -> None:
    answer = client.post(
        "/v1/customers",
        headers={**shop.headers, "Content-Type": "application/json"},
        content=content,
    )
    error = assert_error_shape(answer, 422)
    assert error["type"] == "validation"
    assert _customers(client, shop) == []


HOSTILE = [
    "Robert'); DROP TABLE customers;--",
    "1' OR '1'='1",
    '"; DELETE FROM invoices; --',
    "Łukasz Żółć",
    "Zoë Ångström-Ørsted",
    "🧾 Bakkerij 🥖",
    "שלום עולם",  # right-to-left
    "\u202eevil\u202c",  # an RTL override
    "مرحبا بالعالم",
    "日本語のお客様",
    "a\u0301 (combining)",
    "%s %d {0} ${x} {{7*7}}",
    "<script>alert(1)</script>",
]


def test_hostile_strings_are_stored_verbatim(client: TestClient, shop: Shop) -> None:
    made = []
    for name in HOSTILE:
        answer = client.post(
            "/v1/customers", headers=shop.headers, json={"name": name, "country": "NL"}
        )
        assert answer.status_code == 201, (name, answer.text)
        assert answer.json()["name"] == name
        made.append(answer.json()["id"])
        product = client.post(
            "/v1/products", headers=shop.headers, json={"name": name, "unit_price": "1.00"}
        )
        assert product.status_code == 201, (name, product.text)
        assert product.json()["name"] == name
    for customer_id, name in zip(made, HOSTILE, strict=True):
        assert (
            client.get(f"/v1/customers/{customer_id}", headers=shop.headers).json()["name"] == name
        )
    listed = client.get("/v1/customers", headers=shop.headers, params={"limit": 100}).json()
    assert sorted(c["name"] for c in listed["data"]) == sorted(HOSTILE)
    found = client.get(
        "/v1/customers", headers=shop.headers, params={"search": "Robert'); DROP"}
    ).json()
    assert [c["name"] for c in found["data"]] == [HOSTILE[0]]


def test_a_search_with_like_wildcards_matches_them_literally(
    client: TestClient, shop: Shop
) -> None:
    for name in ("100% Bio", "Bakker_Jan", "Bakkerij"):
        client.post("/v1/customers", headers=shop.headers, json={"name": name, "country": "NL"})

    def search(term: str) -> list[str]:
        answer = client.get("/v1/customers", headers=shop.headers, params={"search": term})
        assert answer.status_code == 200, answer.text
        return sorted(c["name"] for c in answer.json()["data"])

    assert search("%") == []
    assert search("100%") == ["100% Bio"]
    assert search("Bakker_") == ["Bakker_Jan"]


@pytest.mark.parametrize("name", ["Jan\u0000sen", "\u0000"])
def test_a_nul_in_a_name_is_422(client: TestClient, shop: Shop, name: str) -> None:
    answer = client.post(
        "/v1/customers", headers=shop.headers, json={"name": name, "country": "NL"}
    )
    assert assert_error_shape(answer, 422)["param"] == "name"
    assert _customers(client, shop) == []


@pytest.mark.parametrize("raw", ["1e999", "false", "true", "1.5", "-1e999", "[1]", '{"a": 1}'])
def test_a_number_field_refuses_what_is_not_an_exact_number(
    client: TestClient, shop: Shop, raw: str
) -> None:
    content = ('{"name": "Brood", "unit_price": ' + raw + "}").encode()
    answer = client.post(
        "/v1/products",
        headers={**shop.headers, "Content-Type": "application/json"},
        content=content,
    )
    error = assert_error_shape(answer, 422)
    assert error["param"] == "unit_price"
    assert client.get("/v1/products", headers=shop.headers).json()["data"] == []


def test_an_unknown_field_is_422(client: TestClient, shop: Shop) -> None:
    answer = client.post(
        "/v1/customers",
        headers=shop.headers,
        json={"name": "x", "country": "NL", "shop_id": "someone-else"},
    )
    error = assert_error_shape(answer, 422)
    assert error["code"] == "unknown_field"
    assert _customers(client, shop) == []


def test_unknown_routes_and_methods_answer_with_the_error_shape(
    client: TestClient, shop: Shop
) -> None:
    for path in ("/v1/nothing", "/nothing", "/v2/customers", "/v1/customers/x/y/z"):
        error = assert_error_shape(client.get(path, headers=shop.headers), 404)
        assert error["type"] == "not_found"
    assert_error_shape(client.put("/v1/customers", headers=shop.headers), 405)
    assert_error_shape(client.delete("/v1/customers", headers=shop.headers), 405)


def test_an_unexpected_failure_is_a_500_without_a_traceback(tmp_path: Path) -> None:
    config = make_config(str(tmp_path / "boom.sqlite"))
    db = open_database(config.database)
    app = create_app(config, db=db)

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            answer = client.get("/v1/boom")
    finally:
        db.close()
    error = assert_error_shape(answer, 500)
    assert "secret internals" not in answer.text
    assert "RuntimeError" not in answer.text
    assert error["type"]


def test_no_answer_carries_a_traceback(client: TestClient, shop: Shop) -> None:
    probes = [
        client.get("/v1/customers", headers=shop.headers, params={"cursor": "!!!"}),
        client.get("/v1/customers", headers=shop.headers, params={"limit": "lots"}),
        client.get("/v1/customers", headers=shop.headers, params={"limit": 10**30}),
        client.post("/v1/auth/token", data={"username": "\u0000", "password": "x"}),
        client.post("/v1/auth/token", data={"username": "a\u0000@b.c", "password": "\u0000"}),
        client.post("/v1/auth/token", data={"username": "é" * 5000, "password": "x"}),
        client.post("/v1/auth/signup", json={"email": "a\u0000@b.c", "password": "x", "shop": {}}),
        client.post("/v1/auth/token", content=b"\xff", headers={"Content-Type": "x/y"}),
        client.post("/v1/auth/signup", json={"email": [], "password": {}, "shop": 1}),
        client.patch("/v1/customers/" + "x" * 5000, headers=shop.headers, json={}),
        client.get("/v1/customers/%00", headers=shop.headers),
        client.get("/v1/customers/a%00b", headers=shop.headers),
        client.delete("/v1/users/%00", headers=shop.headers),
        client.get("/v1/customers", headers=shop.headers, params={"search": "a\u0000"}),
        client.get("/v1/customers", headers=shop.headers, params={"cursor": "\u0000"}),
    ]
    for answer in probes:
        assert not TRACEBACK.search(answer.text), answer.text
        assert answer.status_code < 500, (answer.request.url, answer.text)
        if answer.status_code >= 400:
            assert_error_shape(answer)


def test_a_nul_in_a_path_id_or_a_query_is_refused_before_any_query(
    client: TestClient, shop: Shop
) -> None:
    assert_error_shape(client.get("/v1/customers/a%00b", headers=shop.headers), 404)
    answer = client.get("/v1/customers", headers=shop.headers, params={"search": "x\u0000"})
    assert assert_error_shape(answer, 422)["param"] == "search"


def test_sign_up_takes_no_file_path_for_the_logo(client: TestClient) -> None:
    """A path names a file on the server's disk: a tenant's PDFs would embed it."""
    from tests.server.conftest import PASSWORD, PROFILE

    answer = client.post(
        "/v1/auth/signup",
        json={
            "email": "owner@example.com",
            "password": PASSWORD,
            "shop": {**PROFILE, "logo_path": "/etc/invoicer/other-shop-logo.png"},
        },
    )
    assert assert_error_shape(answer, 422)["param"] == "shop.logo_path"
    token = client.post(
        "/v1/auth/token", data={"username": "owner@example.com", "password": PASSWORD}
    )
    assert token.status_code == 401  # nothing was created
