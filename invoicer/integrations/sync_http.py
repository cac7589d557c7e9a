"""The HTTP side of a device's sync (docs/sync.md): one method per route of /v1/sync and the
admin's sign-in, over httpx.

Network errors and 5xx answers are retried with exponential backoff (every route may be
sent twice: push and pull are idempotent, POSTs carry an Idempotency-Key); what still fails
is `SyncUnavailable`. The server's error object becomes a domain error carrying its message,
its code and, for a gap, `resend_from`. No credential is ever logged or put in a message.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from invoicer.domain.errors import Conflict, InvoicerError, NotFound, Problem, ValidationError

SCHEMA_HEADER = "Invoicer-Schema"
TRIES = 3
BACKOFF = 0.5  # seconds before the second try; doubled for each further one


class SyncUnavailable(InvoicerError):
    """The sync server could not be reached, or kept failing (5xx): try again later."""

    code = "sync_unavailable"


class Remote:
    """What the server said when it refused: its status, code and message (a mixin)."""

    status: int = 0
    code: str = ""
    error_type: str = ""
    resend_from: int | None = None
    body: dict[str, Any]


class RemoteConflict(Remote, Conflict):
    """409: a gap, a fork, a refused history, an unknown cursor..."""


class RemoteNotFound(Remote, NotFound):
    """404: no such device (or route)."""


class RemoteInvalid(Remote, ValidationError):
    """422: the server found the request invalid."""


class RemoteRefused(Remote, InvoicerError):
    """401, 403, 426, 429 and other refusals: not signed in, revoked, quarantined, too old."""


def _error_from(response: httpx.Response) -> InvoicerError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    message = str(error.get("message") or f"The sync server refused ({response.status_code}).")
    code = str(error.get("code") or "refused")
    status = response.status_code
    exc: InvoicerError
    if status == 409:
        exc = RemoteConflict(message)
    elif status == 404:
        exc = RemoteNotFound(message)
    elif status == 422:
        problems = [
            Problem(str(p.get("param") or ""), str(p.get("code") or code), str(p.get("message")))
            for p in error.get("problems") or []
            if isinstance(p, dict)
        ]
        exc = RemoteInvalid(problems or [Problem(str(error.get("param") or ""), code, message)])
    else:
        exc = RemoteRefused(message)
    assert isinstance(exc, Remote)
    exc.status, exc.code, exc.error_type, exc.body = status, code, str(error.get("type")), error
    resend = error.get("resend_from")
    exc.resend_from = resend if isinstance(resend, int) else None
    return exc


class SyncHttp:
    """A sync server at `base_url`, as one device (`token`, dv_...) or an admin."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        schema: int = 2,
        timeout: float = 30.0,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        tries: int = TRIES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._schema = schema
        self._sleep = sleep
        self._tries = max(1, tries)
        self._client = client or httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport
        )
        self._own_client = client is None

    def __repr__(self) -> str:  # never the token
        return f"SyncHttp({self.base_url!r})"

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> SyncHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the admin's routes ---------------------------------------------------------------
    def sign_in(self, email: str, password: str) -> str:
        """An admin's access token (OAuth2 password flow)."""
        answer = self._call(
            "POST",
            "/v1/auth/token",
            data={"username": email, "password": password, "grant_type": "password"},
        )
        return str(answer["access_token"])

    def register(self, admin: str, *, name: str, history: bool) -> dict[str, Any]:
        """Register this store as a device of the admin's shop: its id, code, token..."""
        return self._call(
            "POST", "/v1/sync/devices", json={"name": name, "history": history}, bearer=admin
        )

    def revoke(self, admin: str, device_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/sync/devices/{device_id}/revoke", bearer=admin)

    def devices(self, credential: str | None = None) -> list[dict[str, Any]]:
        """The shop's devices (an admin's credential, or this device's token)."""
        answer = self._call("GET", "/v1/sync/devices", bearer=credential or self._token)
        return list(answer.get("data", []))

    # -- the device's routes --------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self._call("GET", "/v1/sync/state")

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call("POST", "/v1/sync/push", json={"events": events})

    def events(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._call("GET", "/v1/sync/events", params=params)

    # -- the one way a request goes -------------------------------------------------------
    def _call(
        self, method: str, path: str, *, bearer: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        headers = {SCHEMA_HEADER: str(self._schema)}
        credential = bearer or self._token
        if credential:
            headers["Authorization"] = f"Bearer {credential}"
        if method == "POST":  # the same key on every try: a retried POST is done once
            headers["Idempotency-Key"] = str(uuid.uuid4())
        problem = ""
        for attempt in range(self._tries):
            if attempt:
                self._sleep(BACKOFF * 2 ** (attempt - 1))
            try:
                response = self._client.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as exc:  # its text names the host, not the token
                problem = type(exc).__name__
                continue
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                raise _error_from(response)
            try:
                body = response.json()
            except ValueError:
                raise SyncUnavailable(
                    f"The sync server at {self.base_url} did not answer with JSON: "
                    "is this an Invoicer server?"
                ) from None
            return body if isinstance(body, dict) else {"data": body}
        raise SyncUnavailable(
            f"Could not reach the sync server at {self.base_url} ({problem}). Nothing is "
            "lost: what you did stays here and goes up with the next sync."
        )
