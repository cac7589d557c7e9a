"""The buyer's pages of a checkout session. Each route: find the session's shop by its
unguessable id (the one cross-tenant lookup, in the checkout service), build that shop's
services, make one checkout call and render what it answers. Unknown, expired and cancelled
sessions all get the same 404 page, so a guessed id learns nothing."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from invoicer.domain.errors import InvoicerError, NotFound, ValidationError
from invoicer.server.auth import shop_services, state_of
from invoicer.server.pages import buyer_form, present
from invoicer.server.pages.headers import page_headers, stripe_checkout_origin
from invoicer.server.pages.i18n import Words, choose
from invoicer.server.pages.model import BuyerForm
from invoicer.server.pages.qr import inline_svg
from invoicer.server.pages.render import render, stylesheet
from invoicer.services import checkout
from invoicer.services.app import Services
from invoicer.services.errors import http_status

router = APIRouter(include_in_schema=False)
ACTOR = "checkout"
# "cs_" + token_urlsafe(24); anything else is not a session and never reaches the database.
_ID = re.compile(r"cs_[A-Za-z0-9_-]{16,64}")
Lang = Annotated[str | None, Query(max_length=8)]


class Gone(NotFound):
    """A session the buyer may no longer use (expired or cancelled): the same page as none."""


@router.get("/pay/assets/checkout.css")
def css() -> Response:
    return Response(
        stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


def _shop(request: Request, checkout_id: str) -> Services:
    if not _ID.fullmatch(checkout_id):
        raise NotFound("No such checkout session.")
    state = state_of(request)
    shop_id = checkout.shop_of(state.db, checkout_id)
    if shop_id is None:
        raise NotFound("No such checkout session.")
    return shop_services(state, shop_id, ACTOR)


def _language(request: Request, asked: str | None, session: str | None = None) -> str:
    return choose(asked, session, request.headers.get("accept-language"))


def _here(checkout_id: str) -> str:
    return f"/pay/{checkout_id}"


def _page(
    request: Request,
    checkout_id: str,
    lang: str | None,
    answer: Callable[[Services, checkout.CheckoutView, str], Response],
) -> Response:
    """Open the session, then answer; what goes wrong becomes a page, never a traceback."""
    language = _language(request, lang)
    try:
        svc = _shop(request, checkout_id)
        view = checkout.get(svc, checkout_id)
        if view.status in ("expired", "cancelled"):
            raise Gone("This checkout session is no longer open.")
        language = _language(request, lang, view.language)
        return answer(svc, view, language)
    except NotFound:
        return render("not_found.html", language, status=404, here=None, seller_name=None)
    except InvoicerError as exc:  # Stripe unreachable, a paid invoice, ...: said plainly
        return render(
            "problem.html",
            language,
            status=http_status(exc),
            here=_here(checkout_id),
            seller_name=None,
            message=Words(language).gettext(str(exc)),
        )


def _pay_page(
    svc: Services, checkout_id: str, language: str, form: BuyerForm | None, status: int = 200
) -> Response:
    words = Words(language)
    quote = checkout.quote(svc, checkout_id, None)
    page = present.page(quote, words)
    return render(
        "pay.html",
        language,
        status=status,
        form_targets=(stripe_checkout_origin(svc.ctx.require_settings().stripe_api_base),),
        here=_here(checkout_id),
        seller_name=page.seller.name,
        c=page,
        form=form or BuyerForm(values=present.buyer_values(quote)),
        buyer_fields=buyer_form.fields(words),
        countries=buyer_form.countries(language),
    )


@router.get("/pay/{checkout_id}")
def pay(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        if view.status == "paid":
            return _see_other(f"{_here(checkout_id)}/done?lang={language}")
        return _pay_page(svc, checkout_id, language, None)

    return _page(request, checkout_id, lang, answer)


@router.post("/pay/{checkout_id}/buyer")
async def buyer(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    posted = await request.form()
    values, problems = buyer_form.read(dict(posted.items()))

    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        words = Words(language)
        try:
            if problems:
                raise ValidationError(problems)
            checkout.set_buyer(svc, checkout_id, present.buyer_details(values, language))
        except ValidationError as exc:
            form = buyer_form.refused(values, exc, words)
            return _pay_page(svc, checkout_id, language, form, status=422)
        # Post/redirect/get: a reload shows the page again instead of posting twice.
        return _see_other(f"{_here(checkout_id)}?lang={language}#methods-title")

    return _page(request, checkout_id, lang, answer)


@router.post("/pay/{checkout_id}/card")
def card(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        base = _public_base(request)
        url = checkout.start_card(
            svc,
            checkout_id,
            success_url=f"{base}{_here(checkout_id)}/done?lang={language}",
            cancel_url=f"{base}{_here(checkout_id)}?lang={language}",
        )
        return _see_other(url)

    return _page(request, checkout_id, lang, answer)


@router.post("/pay/{checkout_id}/bank")
def place_bank(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        checkout.bank_transfer(svc, checkout_id)  # a basket's order is placed here, once
        return _see_other(f"{_here(checkout_id)}/bank?lang={language}")

    return _page(request, checkout_id, lang, answer)


@router.get("/pay/{checkout_id}/bank")
def bank(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        if view.kind == "basket" and view.invoice_id is None:
            # A GET never places an order: the buyer confirms with the page's button.
            return _see_other(f"{_here(checkout_id)}?lang={language}")
        words = Words(language)
        transfer = present.bank(checkout.bank_transfer(svc, checkout_id), words)
        page = present.page(checkout.quote(svc, checkout_id, None), words)
        qr = (
            inline_svg(transfer.epc_payload, words.gettext("QR code for a SEPA transfer"))
            if transfer.epc_payload
            else None
        )
        return render(
            "bank.html",
            language,
            here=_here(checkout_id),
            self_url=f"{_here(checkout_id)}/bank",
            seller_name=page.seller.name,
            c=page,
            bank=transfer,
            qr=qr,
        )

    return _page(request, checkout_id, lang, answer)


@router.get("/pay/{checkout_id}/crypto")
def crypto(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        words = Words(language)
        request_ = present.crypto(checkout.crypto(svc, checkout_id), words)
        page = present.page(checkout.quote(svc, checkout_id, None), words)
        return render(
            "crypto.html",
            language,
            here=_here(checkout_id),
            self_url=f"{_here(checkout_id)}/crypto",
            seller_name=page.seller.name,
            c=page,
            crypto=request_,
            qr=inline_svg(request_.uri, words.gettext("QR code of the payment request")),
        )

    return _page(request, checkout_id, lang, answer)


@router.get("/pay/{checkout_id}/done")
def done(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        if view.status != "paid":
            # The webhook may not have arrived yet: ask Stripe now. Stripe unreachable:
            # "processing" is still the truth.
            with contextlib.suppress(InvoicerError):
                checkout.refresh(svc, checkout_id)
        words = Words(language)
        page = present.page(checkout.quote(svc, checkout_id, None), words)
        return render(
            "done.html",
            language,
            here=_here(checkout_id),
            self_url=f"{_here(checkout_id)}/done",
            seller_name=page.seller.name,
            c=page,
        )

    return _page(request, checkout_id, lang, answer)


@router.get("/pay/{checkout_id}/invoice.pdf")
def invoice_pdf(request: Request, checkout_id: str, lang: Lang = None) -> Response:
    def answer(svc: Services, view: checkout.CheckoutView, language: str) -> Response:
        from invoicer.services.documents import pdf_filename

        if view.invoice_id is None:
            raise NotFound("This order has no invoice yet.")
        invoice = svc.invoices.get(view.invoice_id)
        result = svc.documents.render_pdf(invoice.id)
        headers = page_headers()
        headers["Content-Disposition"] = (
            f'attachment; filename="{pdf_filename(invoice.number or invoice.id)}"'
        )
        return Response(result.pdf, media_type="application/pdf", headers=headers)

    return _page(request, checkout_id, lang, answer)


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303, headers=page_headers())


def _public_base(request: Request) -> str:
    """Where the buyer reaches this server (HOSTED_CHECKOUT_BASE, else this request's own)."""
    configured = getattr(state_of(request).config, "hosted_checkout_base", None)
    return str(configured or str(request.base_url)).rstrip("/")


@router.get("/pay/{anything:path}")
def nothing_here(request: Request, anything: str, lang: Lang = None) -> Response:
    """Any other address under /pay: the same 404 page as an unknown session."""
    return render(
        "not_found.html", _language(request, lang), status=404, here=None, seller_name=None
    )
