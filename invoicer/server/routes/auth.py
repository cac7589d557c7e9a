"""Signing up and in: /v1/auth/signup (a new shop), /v1/auth/token (OAuth2's password flow:
an access JWT in the answer, the refresh token in an HttpOnly cookie), /v1/auth/refresh,
/v1/auth/logout and accepting an invitation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Form, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from invoicer.domain.errors import ValidationError
from invoicer.server.auth import client_ip, state_of
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.server.tokens import access_token
from invoicer.services.accounts.views import Session
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.context import ServiceContext
from invoicer.services.shop import ShopService

router = APIRouter(prefix="/v1/auth", tags=["auth"])
COOKIE = "invoicer_refresh"


class SignUp(BaseModel):
    """A new shop and its first admin."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(description="The admin's e-mail address (the sign-in name).")
    password: str = Field(description="At least 8 characters; long passphrases welcome.")
    shop: strict(ShopProfileChanges) = Field(  # type: ignore[valid-type]
        description="The shop's profile: legal name, address, country, VAT number..."
    )


class Invitation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(description="The invitation the admin passed on.")
    password: str = Field(description="The password to sign in with from now on.")


class RefreshBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str | None = Field(None, description="For clients without cookies.")


def _signed_in(request: Request, session: Session, status: int = 200) -> JSONResponse:
    state = state_of(request)
    config = state.config
    token = access_token(session, config.jwt_secret, state.clock.now(), config.access_lifetime)
    response = JSONResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(config.access_lifetime.total_seconds()),
            "refresh_token": session.refresh_token,
            "user": plain(session.user),
        },
        status_code=status,
    )
    response.set_cookie(
        COOKIE,
        session.refresh_token,
        max_age=int((session.expires_at - state.accounts.now()).total_seconds()),
        path="/v1/auth",
        httponly=True,
        secure=config.secure_cookies,
        samesite="strict",
    )
    return response


@router.post("/signup", status_code=201, summary="Sign up: create a shop and its admin")
def sign_up(request: Request, body: SignUp) -> JSONResponse:
    state = state_of(request)
    profile = body.shop
    if profile.logo_path is not None:
        # A path names a file on the server's disk, which a tenant must not choose (the
        # PDFs would embed whatever image is there): logos are uploaded instead.
        raise ValidationError.single(
            "shop.logo_path", "not_allowed", "Upload the logo instead; a file path is not taken."
        )
    # The profile's rules are the shop service's; checked before anything is created.
    ShopService(state.db, _context(state, None, "signup")).check_new(profile)
    admin, shop_id = state.accounts.sign_up(body.email, body.password)
    for tenant in (shop_id, state.accounts.test_shop_of(shop_id)):
        ShopService(state.db, _context(state, tenant, admin.email)).save(profile)
    session = state.accounts.sign_in(body.email, body.password, ip=client_ip(request))
    return _signed_in(request, session, 201)


def _context(state: Any, shop_id: str | None, actor: str) -> ServiceContext:
    return ServiceContext(actor, "server", shop_id, state.clock, state.settings, state.secrets)


@router.post("/token", summary="Sign in (OAuth2 password flow)")
async def token(
    request: Request,
    username: Annotated[str, Form(description="The e-mail address.")],
    password: Annotated[str, Form()],
    totp_code: Annotated[str | None, Form(description="The authenticator's code, if on.")] = None,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> JSONResponse:
    state = state_of(request)
    session = await run_in_threadpool(
        state.accounts.sign_in, username, password, ip=client_ip(request), totp_code=totp_code
    )
    return _signed_in(request, session)


@router.post("/refresh", summary="Swap the refresh token for a new access token")
def refresh(
    request: Request,
    body: RefreshBody | None = None,
    invoicer_refresh: Annotated[str | None, Cookie()] = None,
) -> JSONResponse:
    state = state_of(request)
    presented = invoicer_refresh or (body.refresh_token if body else None)
    session = state.accounts.refresh(presented, ip=client_ip(request))
    return _signed_in(request, session)


@router.post("/logout", status_code=204, summary="End this login")
def logout(
    request: Request,
    body: RefreshBody | None = None,
    invoicer_refresh: Annotated[str | None, Cookie()] = None,
) -> Response:
    state = state_of(request)
    state.accounts.sign_out(invoicer_refresh or (body.refresh_token if body else None))
    response = Response(status_code=204)
    response.delete_cookie(
        COOKIE,
        path="/v1/auth",
        httponly=True,
        secure=state.config.secure_cookies,
        samesite="strict",
    )
    return response


@router.post("/invitations/accept", summary="Accept an invitation and choose a password")
def accept_invitation(request: Request, body: Invitation) -> JSONResponse:
    state = state_of(request)
    user = state.accounts.accept_invitation(body.token, body.password)
    session = state.accounts.sign_in(user.email, body.password, ip=client_ip(request))
    return _signed_in(request, session)
