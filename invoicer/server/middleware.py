"""What every answer gets: a request id, security headers, and a cap on the body's size
(refused with 413 before the route reads it, whether or not Content-Length says so); a NUL
in the path or query is refused before any route sees it."""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
# The interactive docs (/docs) load Swagger UI's script and styles from its CDN.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
    b"style-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; img-src 'self' data: "
    b"https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'"
)


class TooLarge(Exception):
    pass


class Hardening:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        secure: bool,
        larger_bodies: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        # Paths whose bodies may be larger (a sync push: up to MAX_BATCH whole invoices).
        self.larger_bodies = dict(larger_bodies or {})
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["id"] = request_id
        csp = DOCS_CSP if scope["path"] in ("/docs", "/docs/oauth2-redirect") else API_CSP
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS:
                    if name not in present:
                        headers.append((name, value))
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                if self.secure:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if scope["path"].startswith("/v1/"):
                    headers.append((b"cache-control", b"no-store"))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        limit = self.larger_bodies.get(scope["path"], self.max_body_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send_with_headers, limit)
            return
        refusal = _nul_refusal(scope)
        if refusal is not None:
            await _error(send_with_headers, *refusal)
            return
        seen = 0
        refused = False  # the 413 is sent: what the app makes of the cut body is dropped

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Answer here: the framework turns an error raised while it reads the
                    # body into its own 400 ("error parsing the body"), not a 413.
                    if not started:
                        await _too_large(send_with_headers, limit)
                        refused = True
                    raise TooLarge
            return message

        async def app_send(message: Message) -> None:
            if not refused:
                await send_with_headers(message)

        # Answered with 413 above (or the answer had started: nothing more to say).
        with contextlib.suppress(TooLarge):
            await self.app(scope, counted, app_send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _nul_refusal(scope: Scope) -> tuple[int, str, str, str, str | None] | None:
    """A NUL in the path or the query names nothing (and PostgreSQL's text cannot hold one,
    so it must not reach a query): no such route (404), or an invalid parameter (422)."""
    if "\x00" in scope["path"]:
        return 404, "not_found", "no_such_route", "There is no such route.", None
    query = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                param = name.replace("\x00", "")[:64] or None
                message = f"{param or 'A query parameter'} contains a NUL character."
                return 422, "validation", "control_character", message, param
    return None


async def _too_large(send: Any, limit: int) -> None:
    message = f"The request body is larger than {limit:,} bytes."
    await _error(send, 413, "invalid_request", "too_large", message, None)


async def _error(
    send: Any, status: int, type_: str, code: str, message: str, param: str | None
) -> None:
    body = json.dumps(
        {"error": {"type": type_, "code": code, "message": message, "param": param}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
