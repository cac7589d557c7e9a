"""The Idempotency-Key header on every POST of the API's resources (services/accounts/
idempotency.py holds the rule): a route class that answers a replay from the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from invoicer.domain.errors import Conflict, InvoicerError
from invoicer.server import errors
from invoicer.services.accounts.idempotency import Replay
from invoicer.services.accounts.tokens import digest

HEADER = "idempotency-key"
ONCE = "invoicer_shows_secret"  # set on an answer that carries a secret shown only once


AnyResponse = TypeVar("AnyResponse", bound=Response)


def shows_secret_once(response: AnyResponse) -> AnyResponse:
    """Mark an answer that carries a secret (an API key, a device credential, an invitation,
    a TOTP seed): a replay of its request is refused instead of answered from the store, so
    the secret is never kept in the database."""
    setattr(response, ONCE, True)
    return response


class SecretShownOnce(Conflict):
    code = "secret_shown_once"


_ONCE_MESSAGE = (
    "This request was already answered, and its answer held a secret that is shown only "
    "once and never stored. Look the result up in its list, and revoke it and make a new "
    "one if the secret was lost."
)


class IdempotentRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        needs_sign_in = _needs_sign_in(self)

        async def route(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if request.method != "POST" or key is None:
                return await handler(request)
            accounts = request.app.state.invoicer.accounts
            if needs_sign_in:
                # Credentials are checked before a stored answer is replayed: a revoked key or
                # an ended login is refused at once, not answered from the store.
                try:
                    await run_in_threadpool(_authenticate, request)
                except InvoicerError as error:
                    return errors.invoicer_error_response(request, error)
            scope = digest(request.headers.get("authorization", ""))
            body = await request.body()
            fingerprint = hashlib.sha256(
                b"\x00".join(
                    [
                        request.method.encode(),
                        request.url.path.encode(),
                        request.url.query.encode(),
                        body,
                    ]
                )
            ).hexdigest()
            replay = await run_in_threadpool(accounts.begin, scope, key, fingerprint)
            if replay is not None:
                return Response(
                    replay.body,
                    status_code=replay.status,
                    media_type=replay.content_type,
                    headers={"Idempotent-Replayed": "true"},
                )
            try:
                response = await handler(request)
            except InvoicerError as error:
                response = errors.invoicer_error_response(request, error)
                if response.status_code >= 500:
                    await run_in_threadpool(accounts.release, scope, key)
                    return response
            except BaseException:
                await run_in_threadpool(accounts.release, scope, key)
                raise
            if response.status_code >= 500 or not hasattr(response, "body"):
                await run_in_threadpool(accounts.release, scope, key)
                return response
            principal = getattr(request.state, "principal", None)
            stored = Replay(
                response.status_code,
                bytes(response.body),
                response.media_type or "application/json",
            )
            if getattr(response, ONCE, False):
                refusal = errors.invoicer_error_response(request, SecretShownOnce(_ONCE_MESSAGE))
                stored = Replay(refusal.status_code, bytes(refusal.body), "application/json")
            await run_in_threadpool(
                accounts.finish,
                scope,
                key,
                getattr(principal, "shop_id", None),
                stored,
            )
            return response

        return route


def _needs_sign_in(route: APIRoute) -> bool:
    from invoicer.server.auth import principal

    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if dependency.call is principal:
            return True
        stack.extend(dependency.dependencies)
    return False


def _authenticate(request: Request) -> None:
    """Who the request is by, as the route's own dependency will find (or its refusal)."""
    from fastapi.security import HTTPAuthorizationCredentials

    from invoicer.server.auth import principal

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    credentials = (
        HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
        if scheme.lower() == "bearer" and token.strip()
        else None
    )
    principal(request, credentials)
