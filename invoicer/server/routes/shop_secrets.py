"""A shop's own secrets on the server (its Stripe key, its webhook signing secrets): admins
store, generate or delete them; nobody reads them back (the list says only which are set)."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from invoicer.domain.errors import Conflict
from invoicer.integrations.secrets import SHOP_SECRETS
from invoicer.server.auth import Admin, client_ip, state_of
from invoicer.server.idempotent import shows_secret_once
from invoicer.server.routes.common import router as make_router
from invoicer.server.secret_store import ShopSecrets, check_name
from invoicer.services.accounts.views import Principal

router = make_router("shop")


class SecretValue(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    value: str = Field(description="The secret, as the provider gave it (stored, never shown).")


def _store(request: Request, who: Principal) -> ShopSecrets:
    store = state_of(request).shop_secrets(who.shop_id)
    if not isinstance(store, ShopSecrets):
        raise Conflict("This server keeps no per-shop secrets (it was started with its own store).")
    return store


def _note(request: Request, who: Principal, name: str, action: str) -> None:
    state_of(request).accounts.note_secret(
        who.shop_id or "", name, action, by=who.actor, ip=client_ip(request)
    )


@router.get("/shop/secrets", summary="Which of the shop's secrets are stored (never the values)")
def secrets_status(request: Request, who: Admin) -> JSONResponse:
    found = _store(request, who).status()
    return JSONResponse(
        {
            "object": "shop_secrets",
            "usable": found.usable,
            "problem": found.problem,
            "data": [
                {"name": name, "about": about, "stored": found.stored.get(name, False)}
                for name, about in SHOP_SECRETS.items()
            ],
        }
    )


@router.put("/shop/secrets/{name}", status_code=204, summary="Store one of the shop's secrets")
def store_secret(request: Request, who: Admin, name: str, body: SecretValue) -> Response:
    check_name(name)
    _store(request, who).set_secret(name, body.value)
    _note(request, who, name, "stored")
    return Response(status_code=204)


@router.post(
    "/shop/secrets/{name}/generate",
    status_code=201,
    summary="Generate a signing secret (shown once, in this answer only)",
)
def generate_secret(request: Request, who: Admin, name: str) -> JSONResponse:
    value = _store(request, who).generate(name)
    _note(request, who, name, "generated")
    return shows_secret_once(
        JSONResponse({"object": "shop_secret", "name": name, "value": value}, status_code=201)
    )


@router.delete("/shop/secrets/{name}", status_code=204, summary="Delete one of the shop's secrets")
def delete_secret(request: Request, who: Admin, name: str) -> Response:
    check_name(name)
    if _store(request, who).delete_secret(name):
        _note(request, who, name, "deleted")
    return Response(status_code=204)
