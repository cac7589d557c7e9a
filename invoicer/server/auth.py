"""Who a request is by, from its credentials: a Bearer access JWT or an API key (as a Bearer
token, or HTTP Basic's user name as Stripe takes it). Then what the principal may do: the
routes declare the role they need (`user`, `admin`, `superadmin`) and get the principal and
the services of its shop."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from invoicer.server.state import SERVER_DEVICE, ServerState
from invoicer.server.tokens import read_access_token
from invoicer.services.accounts.errors import NotAllowed, NotSignedIn
from invoicer.services.accounts.tokens import looks_like_api_key
from invoicer.services.accounts.views import Principal
from invoicer.services.app import Services
from invoicer.services.context import ServiceContext
from invoicer.services.shop_settings import ShopSettingsService

bearer = HTTPBearer(
    auto_error=False,
    description="An access token from /v1/auth/token, or an API key (sk_live_… / sk_test_…).",
)


def state_of(request: Request) -> ServerState:
    return request.app.state.invoicer  # type: ignore[no-any-return]


def client_ip(request: Request) -> str:
    state = state_of(request)
    if state.config.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    state = state_of(request)
    token = credentials.credentials if credentials is not None else _basic_key(request)
    if not token:
        raise NotSignedIn("Sign in first: send an access token or an API key as a Bearer token.")
    if looks_like_api_key(token):
        found = state.accounts.key_principal(token)
    else:
        claims = read_access_token(token, state.config.jwt_secret, state.clock.now())
        found = state.accounts.user_principal(
            claims.user_id, claims.family_id, claims.totp_confirmed
        )
    request.state.principal = found
    return found


def _basic_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user = base64.b64decode(header[6:], validate=True).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return None
    return user or None


def shop_member(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if who.shop_id is None:
        raise NotAllowed("This is a shop's route; the platform's superadmin has no shop.")
    return who


def shop_admin(request: Request, who: Annotated[Principal, Depends(shop_member)]) -> Principal:
    if who.role != "admin":
        raise NotAllowed("Only the shop's admins may do this.", "admin_only")
    if (
        not who.totp_confirmed
        and who.live_shop_id is not None
        and state_of(request).accounts.admin_totp_required(who.live_shop_id)
    ):
        raise NotAllowed(
            "This shop requires admins to sign in with two-step verification: "
            "turn it on at /v1/me/totp and sign in again.",
            "totp_required",
        )
    return who


def shop_admin_or_key(
    request: Request, who: Annotated[Principal, Depends(shop_member)]
) -> Principal:
    """An admin, or an API key (which only an admin makes): what may register a device, so
    that a merchant can link a device with the key their web store already has."""
    if who.kind == "api_key":
        return who
    return shop_admin(request, who)


def superadmin(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if who.role != "superadmin":
        raise NotAllowed("Only the platform's superadmin may do this.", "superadmin_only")
    return who


def services_for(state: ServerState, who: Principal) -> Services:
    return shop_services(state, who.shop_id, who.actor)


def shop_services(state: ServerState, shop_id: str | None, actor: str) -> Services:
    """A shop's services with its own settings and secrets, writing as the server's device
    (its numbers come from the server's series). Routes with no signed-in user (the buyer's
    checkout page, webhooks) call this with the shop their unguessable id or URL named."""
    secrets = state.shop_secrets(shop_id)
    base = ServiceContext(
        actor=actor,
        device_id=SERVER_DEVICE,
        shop_id=shop_id,
        clock=state.clock,
        settings=state.settings,
        secrets=secrets,
    )
    own = ShopSettingsService(state.db, base).get()
    return Services(state.db, replace(base, settings=own))


def _services(request: Request, who: Principal) -> Iterator[Services]:
    yield services_for(state_of(request), who)


def member_services(
    request: Request, who: Annotated[Principal, Depends(shop_member)]
) -> Iterator[Services]:
    yield from _services(request, who)


def admin_services(
    request: Request, who: Annotated[Principal, Depends(shop_admin)]
) -> Iterator[Services]:
    yield from _services(request, who)


def admin_or_key_services(
    request: Request, who: Annotated[Principal, Depends(shop_admin_or_key)]
) -> Iterator[Services]:
    yield from _services(request, who)


Member = Annotated[Principal, Depends(shop_member)]
Admin = Annotated[Principal, Depends(shop_admin)]
Superadmin = Annotated[Principal, Depends(superadmin)]
MemberServices = Annotated[Services, Depends(member_services)]
AdminServices = Annotated[Services, Depends(admin_services)]
AdminOrKey = Annotated[Principal, Depends(shop_admin_or_key)]
AdminOrKeyServices = Annotated[Services, Depends(admin_or_key_services)]
