"""Quotes: drafts and their lines, issuing, the customer's answer, conversion into a draft
invoice, one quote, the list and the PDF. Thin callers of services/quotes.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.responses import JSONResponse, Response

from invoicer.domain.money import currency, to_minor
from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import answer, check_limit, decode_cursor, encode_cursor, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.routes.invoices import invoice_answer
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.commands import ConvertQuote, NewLine, NewQuote
from invoicer.services.quotes import QuoteView

router = make_router("quotes")

QuoteId = Annotated[str, Path(max_length=64)]


def _body(view: QuoteView) -> dict[str, Any]:
    """Money in integer minor units, as every API answer has it."""
    cur = currency(view.currency)
    body: dict[str, Any] = plain(view)
    for name in ("net", "vat", "gross"):
        body[name] = to_minor(getattr(view, name), cur)
    for line, out in zip(view.lines, body["lines"], strict=True):
        out["net"] = to_minor(line.net, cur)
    for group, out in zip(view.vat_groups, body["vat_groups"], strict=True):
        out["taxable"] = to_minor(group.taxable, cur)
        out["tax"] = to_minor(group.tax, cur)
    return body


def quote_answer(view: QuoteView, status: int = 200) -> JSONResponse:
    return answer(_body(view), status, "quote")


@router.get("/quotes", summary="List quotes, newest first")
def quotes(
    svc: MemberServices,
    status: Annotated[
        str | None, Query(description="draft, issued, sent, accepted, declined or expired.")
    ] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> JSONResponse:
    offset = decode_cursor(cursor)
    page = svc.quotes.list(
        status=status, customer_id=customer_id, offset=offset, limit=check_limit(limit)
    )
    more = offset + len(page.items) < page.total
    return listing(
        [_body(item) for item in page.items],
        object_name="quote",
        next_cursor=encode_cursor(offset + len(page.items)) if more and page.items else None,
        total=page.total,
    )


@router.post("/quotes", status_code=201, summary="Start a draft quote")
def create(svc: MemberServices, body: strict(NewQuote)) -> JSONResponse:  # type: ignore[valid-type]
    return quote_answer(svc.quotes.create(body), 201)


@router.get("/quotes/{quote_id}", summary="A quote (by id or number)")
def quote(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    return quote_answer(svc.quotes.get(quote_id))


@router.delete("/quotes/{quote_id}", summary="Delete a draft quote")
def delete_draft(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    svc.quotes.delete_draft(quote_id)
    return JSONResponse({"object": "quote", "id": quote_id, "deleted": True})


@router.post("/quotes/{quote_id}/lines", status_code=201, summary="Add a line to a draft quote")
def add_line(
    svc: MemberServices,
    quote_id: QuoteId,
    body: strict(NewLine),  # type: ignore[valid-type]
) -> JSONResponse:
    return quote_answer(svc.quotes.add_line(quote_id, body), 201)


@router.delete("/quotes/{quote_id}/lines/{position}", summary="Remove a draft quote's line")
def remove_line(
    svc: MemberServices,
    quote_id: QuoteId,
    position: Annotated[int, Path(ge=1, le=100_000)],
) -> JSONResponse:
    return quote_answer(svc.quotes.remove_line(quote_id, position))


@router.post("/quotes/{quote_id}/issue", summary="Issue a draft quote: number, VAT, validity")
def issue(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    return quote_answer(svc.quotes.issue(quote_id))


@router.post(
    "/quotes/{quote_id}/mark-sent",
    summary="Record that an issued quote reached the customer another way (/send e-mails it)",
)
def mark_sent(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    return quote_answer(svc.quotes.send(quote_id))


@router.post("/quotes/{quote_id}/accept", summary="The customer accepted the quote")
def accept(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    return quote_answer(svc.quotes.accept(quote_id))


@router.post("/quotes/{quote_id}/decline", summary="The customer declined the quote")
def decline(svc: MemberServices, quote_id: QuoteId) -> JSONResponse:
    return quote_answer(svc.quotes.decline(quote_id))


@router.post(
    "/quotes/{quote_id}/convert",
    status_code=201,
    summary="An accepted quote's lines (all or chosen) as a draft invoice",
)
def convert(
    svc: MemberServices,
    quote_id: QuoteId,
    body: strict(ConvertQuote),  # type: ignore[valid-type]
) -> JSONResponse:
    return invoice_answer(svc.quotes.convert(quote_id, body.positions), 201)


@router.get(
    "/quotes/{quote_id}/pdf",
    summary="The PDF of an issued quote",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The file."}},
)
def pdf(svc: MemberServices, quote_id: QuoteId) -> Response:
    from invoicer.services.documents import pdf_filename

    view = svc.quotes.get(quote_id)
    data = svc.documents.render_quote_pdf(view.id)
    disposition = f'attachment; filename="{pdf_filename(view.number or view.id)}"'
    return Response(
        data, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )
