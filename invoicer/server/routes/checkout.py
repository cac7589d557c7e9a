"""Hosted checkout sessions: a merchant (or their web shop, with an API key) asks for a page
where a buyer pays an issued invoice or a basket; the answer carries the buyer's URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from invoicer.server.auth import MemberServices, state_of
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services import checkout, webhooks
from invoicer.services.commands import NewCheckout

router = make_router("checkout")


def public_base(request: Request) -> str:
    """Where buyers reach this server: HOSTED_CHECKOUT_BASE, else this request's address."""
    configured = state_of(request).config.hosted_checkout_base
    return (configured or str(request.base_url)).rstrip("/")


def session_answer(
    request: Request, view: checkout.CheckoutView, status: int = 200
) -> JSONResponse:
    body: dict[str, Any] = {
        "id": view.id,
        "kind": view.kind,
        "status": view.status,
        "url": f"{public_base(request)}/pay/{view.id}",
        "expires_at": view.expires_at.isoformat() + "Z",
        "created_at": view.created_at.isoformat() + "Z",
        "paid_at": view.paid_at.isoformat() + "Z" if view.paid_at else None,
        "amount_minor": view.amount_minor,
        "currency": view.currency,
        "language": view.language,
        "invoice_id": view.invoice_id,
        "invoice_number": view.invoice_number,
        "payment_id": view.payment_id,
    }
    return answer(body, status, "checkout.session")


@router.post(
    "/checkout/sessions",
    status_code=201,
    summary="Make a hosted checkout for an issued invoice's balance or a basket of products",
)
def create_session(
    request: Request,
    svc: MemberServices,
    body: strict(NewCheckout),  # type: ignore[valid-type]
) -> JSONResponse:
    return session_answer(request, checkout.create(svc, body), 201)


@router.get("/checkout/sessions/{checkout_id}", summary="A checkout session and its status")
def get_session(request: Request, svc: MemberServices, checkout_id: str) -> JSONResponse:
    return session_answer(request, checkout.get(svc, checkout_id))


@router.post(
    "/checkout/sessions/{checkout_id}/cancel",
    summary="Cancel an open checkout (its page then says it is no longer open)",
)
def cancel_session(request: Request, svc: MemberServices, checkout_id: str) -> JSONResponse:
    return session_answer(request, checkout.cancel(svc, checkout_id))


@router.get(
    "/refund-proposals",
    summary="Refunds providers reported, for the merchant to credit (open ones by default)",
)
def refund_proposals(
    svc: MemberServices,
    status: Annotated[str, Query(pattern="^(open|done|dismissed|all)$")] = "open",
) -> JSONResponse:
    found = webhooks.refund_proposals(svc, None if status == "all" else status)
    items = [plain(p) for p in found]
    return listing(items, object_name="refund_proposal", next_cursor=None, total=len(items))
