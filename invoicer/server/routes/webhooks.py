"""Providers' webhooks: no signed-in user, so each call names its shop (`?shop=`) and proves
itself with that shop's own signing secret from the server's secret store. A call that does
not verify changes nothing and learns nothing (the same 400 for an unknown shop); one that
does is answered 200 with what came of it, also when it is a duplicate or ignored, so the
provider stops sending it. Only a busy order asks for a retry (503)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from invoicer.integrations import stripe_payments
from invoicer.server.auth import shop_services, state_of
from invoicer.server.errors import problem
from invoicer.services.app import Services
from invoicer.services.checkout.basket import Busy
from invoicer.services.webhooks import Outcome, handle_onecom, handle_stripe, verify_onecom
from invoicer.services.webhooks.events import live_shop
from invoicer.services.webhooks.onecom import WebhookRefused

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
_SHOP = re.compile(r"[0-9a-f-]{36}")
ShopId = Annotated[str, Query(min_length=36, max_length=36, description="The shop's id.")]


def _refused(message: str) -> JSONResponse:
    return problem(400, "invalid_request", "signature_invalid", message)


def _services(request: Request, shop: str, actor: str) -> Services | None:
    if not _SHOP.fullmatch(shop):
        return None
    state = state_of(request)
    if not live_shop(state.db, shop):
        return None
    return shop_services(state, shop, actor)


def _answer(outcome: Outcome) -> JSONResponse:
    body: dict[str, Any] = {"received": True, "outcome": outcome.outcome}
    if outcome.message:
        body["message"] = outcome.message
    return JSONResponse(body)


@router.post("/stripe", summary="Stripe's events for a shop (Stripe-Signature verified)")
async def stripe_webhook(request: Request, shop: ShopId) -> JSONResponse:
    body = await request.body()
    svc = _services(request, shop, "webhook:stripe")
    secret = svc.ctx.secrets.get_secret("stripe_webhook_secret") if svc else None
    signature = request.headers.get("stripe-signature") or ""
    if svc is None or not secret or not signature:
        return _refused("The webhook's signature does not verify.")
    try:
        event = stripe_payments.verify_webhook(body, signature, secret)
    except stripe_payments.StripeProblem as exc:
        return _refused(str(exc))
    try:
        return _answer(handle_stripe(svc, event))
    except Busy as exc:
        return problem(503, "conflict", "busy", str(exc))


@router.post("/onecom", summary="One.com's payment.completed for a shop (Standard Webhooks)")
async def onecom_webhook(request: Request, shop: ShopId) -> JSONResponse:
    body = await request.body()
    svc = _services(request, shop, "webhook:onecom")
    secret = svc.ctx.secrets.get_secret("onecom_webhook_secret") if svc else None
    if svc is None or not secret:
        return _refused("The webhook's signature does not verify.")
    try:
        event = verify_onecom(secret, request.headers, body, svc.ctx.clock.now())
        return _answer(handle_onecom(svc, event))
    except WebhookRefused as exc:
        return _refused(str(exc))
    except Busy as exc:
        return problem(503, "conflict", "busy", str(exc))
