"""The shop itself: its profile, its own settings and its logo; and the VAT tools a shop
uses (the VAT quote, VIES checks). Admins change the profile, settings and logo."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr, create_model
from starlette.concurrency import run_in_threadpool

from invoicer.domain.errors import NotFound, ValidationError
from invoicer.server.auth import AdminServices, MemberServices, state_of
from invoicer.server.routes.common import answer
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.app import Services
from invoicer.services.commands import SettingsChanges, ShopProfileChanges
from invoicer.services.commands.base import Command
from invoicer.services.shop_logo import ShopLogoService
from invoicer.services.shop_settings import SHOP_FIELDS, ShopSettingsService
from invoicer.services.vat_quotes import quote_document

router = make_router("shop")


def _variant(name: str, command: type[Command], keep: Any, doc: str) -> type[Command]:
    """`command` with only the fields `keep(name)` accepts (the rest are unknown fields)."""
    fields: dict[str, Any] = {
        field: (info.annotation, info)
        for field, info in command.model_fields.items()
        if keep(field)
    }
    made = create_model(name, __base__=Command, __doc__=doc, **fields)
    made.unknown_code = command.unknown_code
    made.unknown_message = command.unknown_message
    return made


# A tenant never points the server at a file: the logo is uploaded (/v1/shop/logo).
ShopChanges = _variant(
    "ShopChanges",
    ShopProfileChanges,
    lambda field: field != "logo_path",
    "Fields of the shop profile to change; the others keep their values.",
)
# Only the settings a shop chooses for itself; the server's endpoints are its operator's.
ShopSettingsChanges = _variant(
    "ShopSettingsChanges",
    SettingsChanges,
    lambda field: field in SHOP_FIELDS,
    "The shop's own settings to change; the others keep their values.",
)


def _profile(svc: Services) -> JSONResponse:
    profile = svc.shop.get()
    if profile is None:
        raise NotFound("The shop has no profile yet.")
    body = plain(profile)
    body.pop("logo_path", None)  # a local app's file path: not the API's
    return JSONResponse({"object": "shop", **body})


@router.get("/shop", summary="The shop's profile")
def shop(svc: MemberServices) -> JSONResponse:
    return _profile(svc)


@router.patch("/shop", summary="Change the shop's profile (the fields given; admins)")
def update_shop(svc: AdminServices, body: strict(ShopChanges)) -> JSONResponse:  # type: ignore[valid-type]
    svc.shop.save(ShopProfileChanges(**body.given()))
    return _profile(svc)


def _settings(service: ShopSettingsService) -> JSONResponse:
    current = service.get()
    return JSONResponse(
        {"object": "settings", **{name: plain(getattr(current, name)) for name in SHOP_FIELDS}}
    )


def _settings_service(svc: Services) -> ShopSettingsService:
    return ShopSettingsService(svc.db, svc.ctx)


@router.get("/settings", summary="The shop's own settings")
def settings(svc: MemberServices) -> JSONResponse:
    return _settings(_settings_service(svc))


@router.patch("/settings", summary="Change the shop's own settings (admins)")
def update_settings(svc: AdminServices, body: strict(ShopSettingsChanges)) -> JSONResponse:  # type: ignore[valid-type]
    service = _settings_service(svc)
    service.set(SettingsChanges(**body.given()))
    return _settings(service)


# --- the logo -----------------------------------------------------------------------------

_LOGO_BODY = {
    "requestBody": {
        "required": True,
        "description": "A PNG, JPEG or SVG file, as the raw body or the one file of a "
        "multipart form. Its type is told by its content; an SVG is stored as a PNG.",
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}
_LOGO_HEADERS = {
    "Content-Disposition": 'inline; filename="logo"',
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
    "Cache-Control": "private, no-cache",
}


async def _uploaded(request: Request) -> bytes:
    """The file's bytes: the raw body, or the (one) file of a multipart form."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        try:
            for value in form.values():
                if not isinstance(value, str):
                    return await value.read()
        finally:
            await form.close()
        raise ValidationError.single("logo", "empty", "The form holds no file.")
    return await request.body()


async def _put_logo(request: Request, svc: Services) -> JSONResponse:
    from invoicer.server.uploads import check_logo

    data = await _uploaded(request)
    limit = state_of(request).config.max_logo_bytes
    checked = await run_in_threadpool(check_logo, data, max_bytes=limit)
    stored = await run_in_threadpool(
        ShopLogoService(svc.db, svc.ctx).save, checked.content_type, checked.data
    )
    return JSONResponse(
        {
            "object": "logo",
            "content_type": stored.content_type,
            "bytes": len(stored.data),
            "width": checked.width,
            "height": checked.height,
        }
    )


@router.put("/shop/logo", summary="Upload the shop's logo (admins)", openapi_extra=_LOGO_BODY)
async def put_logo(request: Request, svc: AdminServices) -> JSONResponse:
    return await _put_logo(request, svc)


@router.post(
    "/shop/logo", summary="Upload the shop's logo (admins; as PUT)", openapi_extra=_LOGO_BODY
)
async def post_logo(request: Request, svc: AdminServices) -> JSONResponse:
    return await _put_logo(request, svc)


@router.get(
    "/shop/logo",
    summary="The shop's logo (PNG or JPEG)",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}}}},
)
def logo(svc: MemberServices) -> Response:
    stored = ShopLogoService(svc.db, svc.ctx).get()
    if stored is None:
        raise NotFound("The shop has no logo.")
    return Response(stored.data, media_type=stored.content_type, headers=_LOGO_HEADERS)


@router.delete("/shop/logo", status_code=204, summary="Remove the shop's logo (admins)")
def delete_logo(svc: AdminServices) -> Response:
    ShopLogoService(svc.db, svc.ctx).delete()
    return Response(status_code=204)


# --- VAT ----------------------------------------------------------------------------------

_QUOTE_BODY = {
    "requestBody": {
        "required": True,
        "description": "The document of `invoicer vat quote` (docs/vat-quote.md): seller, "
        "buyer, date, currency and lines; numbers as exact decimals.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/vat/quote", summary="Quote VAT for an invoice (the VAT engine)", openapi_extra=_QUOTE_BODY
)
async def vat_quote(request: Request, svc: MemberServices) -> JSONResponse:
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError.single("", "invalid_body", "The body is not UTF-8 text.") from None
    if "\x00" in text or "\\u0000" in text:
        raise ValidationError.single("", "control_character", "The body contains a NUL.")
    result = await run_in_threadpool(quote_document, text)
    return JSONResponse({"object": "vat_quote", **result})


class ViesNumber(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vat_number: StrictStr = Field(
        max_length=40, description="A VAT number with its country prefix (NL123456789B01)."
    )


@router.post("/vies/check", summary="Check a VAT number with VIES")
def vies_check(svc: MemberServices, body: ViesNumber) -> JSONResponse:
    if "\x00" in body.vat_number:
        raise ValidationError.single("vat_number", "control_character", "NUL in vat_number.")
    return answer(svc.vies.check_number(body.vat_number), object_name="vies_check")


@router.post(
    "/customers/{customer_id}/vies-check",
    summary="Check a customer's VAT number with VIES and keep the answer as proof",
)
def customer_vies_check(svc: MemberServices, customer_id: str) -> JSONResponse:
    customer, result = svc.vies.check_customer(customer_id)
    return JSONResponse(
        {
            "object": "vies_check",
            **plain(result),
            "customer": {"object": "customer", **plain(customer)},
        }
    )
