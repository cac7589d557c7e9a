"""The signed-in user (/v1/me: password, two-step sign-in), the shop's users (invite, role,
remove) and API keys: the admin's part of identity and access."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from invoicer.server.auth import Admin, Member, state_of
from invoicer.server.idempotent import shows_secret_once
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router
from invoicer.services.accounts.errors import NotAllowed
from invoicer.services.accounts.views import Principal

router = make_router("users and keys")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PasswordChange(Strict):
    current_password: str
    new_password: str


class TotpConfirm(Strict):
    secret: str = Field(description="The secret from POST /v1/me/totp.")
    code: str = Field(description="The 6-digit code the authenticator shows now.")


class TotpCode(Strict):
    code: str


class NewUser(Strict):
    email: str
    role: str = Field("user", description="admin or user.")


class RoleChange(Strict):
    role: str = Field(description="admin or user.")


class NewKey(Strict):
    name: str = Field(description="What the key is for (the web store, the till...).")
    mode: str = Field(
        "live", description="live (sk_live_) or test (sk_test_: test-mode data only)."
    )
    expires_at: str | None = Field(
        None, description="ISO date or time after which it stops working."
    )


class AdminTotp(Strict):
    required: bool


def _shop(who: Principal) -> str:
    assert who.live_shop_id is not None  # shop_member/shop_admin made sure
    return who.live_shop_id


def _user_only(who: Any) -> None:
    if who.kind != "user":
        raise NotAllowed(
            "An API key has no user account; sign in as a person for this.", "user_only"
        )


@router.get("/me", summary="Who is signed in")
def me(request: Request, who: Member) -> JSONResponse:
    if who.kind == "api_key":
        return answer(
            {
                "kind": "api_key",
                "id": who.id,
                "shop_id": who.shop_id,
                "mode": who.mode,
                "role": who.role,
            },
            object_name="principal",
        )
    user = state_of(request).accounts.user(_shop(who), who.id)  # type: ignore[arg-type]
    return answer(user, object_name="user")


@router.post("/me/password", status_code=204, summary="Change my password")
def change_password(request: Request, who: Member, body: PasswordChange) -> Response:
    _user_only(who)
    state_of(request).accounts.change_password(who.id, body.current_password, body.new_password)
    return Response(status_code=204)


@router.post("/me/totp", summary="Start turning on two-step sign-in (TOTP)")
def start_totp(request: Request, who: Member) -> JSONResponse:
    _user_only(who)
    return shows_secret_once(
        answer(state_of(request).accounts.start_totp(who.id), object_name="totp_setup")
    )


@router.post("/me/totp/confirm", summary="Turn on two-step sign-in with a current code")
def confirm_totp(request: Request, who: Member, body: TotpConfirm) -> JSONResponse:
    _user_only(who)
    return answer(
        state_of(request).accounts.confirm_totp(who.id, body.secret, body.code), object_name="user"
    )


@router.post("/me/totp/disable", summary="Turn off two-step sign-in")
def disable_totp(request: Request, who: Member, body: TotpCode) -> JSONResponse:
    _user_only(who)
    return answer(state_of(request).accounts.disable_totp(who.id, body.code), object_name="user")


@router.get("/users", summary="The shop's users")
def users(request: Request, who: Admin) -> JSONResponse:
    found = state_of(request).accounts.users(_shop(who))  # type: ignore[arg-type]
    return listing(found, object_name="user", next_cursor=None)


@router.post("/users", status_code=201, summary="Invite a user")
def invite(request: Request, who: Admin, body: NewUser) -> JSONResponse:
    _user_only(who)
    user, token = state_of(request).accounts.invite(_shop(who), body.email, body.role, by=who.actor)  # type: ignore[arg-type]
    return shows_secret_once(
        JSONResponse(
            {"object": "invitation", "user": answer_body(user), "invitation_token": token},
            status_code=201,
        )
    )


def answer_body(view: Any) -> Any:
    from invoicer.server.serialise import plain

    return plain(view)


@router.get("/users/{user_id}", summary="A user of the shop")
def user(request: Request, who: Admin, user_id: str) -> JSONResponse:
    return answer(state_of(request).accounts.user(_shop(who), user_id), object_name="user")  # type: ignore[arg-type]


@router.post("/users/{user_id}/role", summary="Change a user's role")
def change_role(request: Request, who: Admin, user_id: str, body: RoleChange) -> JSONResponse:
    found = state_of(request).accounts.change_role(_shop(who), user_id, body.role, by=who.actor)  # type: ignore[arg-type]
    return answer(found, object_name="user")


@router.delete("/users/{user_id}", status_code=204, summary="Remove a user")
def remove_user(request: Request, who: Admin, user_id: str) -> Response:
    state_of(request).accounts.remove(_shop(who), user_id, by=who.actor)  # type: ignore[arg-type]
    return Response(status_code=204)


@router.post("/shop/admin-totp", summary="Require two-step sign-in for the shop's admins")
def admin_totp(request: Request, who: Admin, body: AdminTotp) -> JSONResponse:
    _user_only(who)
    required = state_of(request).accounts.require_admin_totp(
        _shop(who), body.required, by_user_id=who.id
    )  # type: ignore[arg-type]
    return JSONResponse({"object": "admin_totp", "required": required})


@router.get("/api-keys", summary="The shop's API keys (never their secrets)")
def keys(request: Request, who: Admin) -> JSONResponse:
    return listing(
        state_of(request).accounts.keys(_shop(who)), object_name="api_key", next_cursor=None
    )  # type: ignore[arg-type]


@router.post("/api-keys", status_code=201, summary="Create an API key (its secret is shown once)")
def create_key(request: Request, who: Admin, body: NewKey) -> JSONResponse:
    made = state_of(request).accounts.create_key(
        _shop(who), body.name, body.mode, body.expires_at, by=who.actor
    )  # type: ignore[arg-type]
    return shows_secret_once(
        JSONResponse(
            {"object": "api_key", **answer_body(made.key), "secret": made.secret},
            status_code=201,
        )
    )


@router.delete("/api-keys/{key_id}", summary="Revoke an API key (at once)")
def revoke_key(request: Request, who: Admin, key_id: str) -> JSONResponse:
    return answer(
        state_of(request).accounts.revoke_key(_shop(who), key_id, by=who.actor),
        object_name="api_key",
    )  # type: ignore[arg-type]
