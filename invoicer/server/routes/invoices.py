"""Invoices: drafts and their lines (edits under an If-Match precondition), issuing, the
filtered list with its cursor, and one invoice with its ETag."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Header, Query
from fastapi.responses import JSONResponse

from invoicer.server import minor_units
from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import (
    answer,
    check_limit,
    decode_cursor,
    encode_cursor,
    if_match,
    listing,
    with_etag,
)
from invoicer.server.routes.common import router as make_router
from invoicer.server.strict import strict
from invoicer.services import views
from invoicer.services.commands import DraftChanges, LineChanges, NewDraft, NewLine

router = make_router("invoices")

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=500,
        description="The invoice's ETag as last read: the edit is refused (412) if it changed.",
    ),
]
Cursor = Annotated[
    str | None, Query(max_length=64, description="next_cursor of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=100)]


def invoice_answer(view: views.Invoice, status: int = 200) -> JSONResponse:
    """An invoice (or credit note) with its ETag."""
    name = "credit_note" if view.kind == "credit_note" else "invoice"
    return with_etag(answer(minor_units.invoice(view), status, name))


@router.get("/invoices", summary="List invoices and credit notes")
def invoices(
    svc: MemberServices,
    status: Annotated[
        str | None,
        Query(description="draft, open, partially_paid, paid, overdue, credited or issued."),
    ] = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[dt.date | None, Query(description="Issued on or after.")] = None,
    date_to: Annotated[dt.date | None, Query(description="Issued on or before.")] = None,
    search: Annotated[
        str | None, Query(max_length=200, description="Start of the number or customer name.")
    ] = None,
    kind: Literal["invoice", "credit_note"] | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> JSONResponse:
    offset = decode_cursor(cursor)
    page = svc.invoices.list(
        status=status,
        customer_id=customer_id,
        date_from=date_from,
        date_to=date_to,
        search=search,
        kind=kind,
        offset=offset,
        limit=check_limit(limit),
    )
    more = offset + len(page.items) < page.total or page.total_capped
    return listing(
        [minor_units.summary(item) for item in page.items],
        object_name="invoice",
        next_cursor=encode_cursor(offset + len(page.items)) if more and page.items else None,
        total=page.total,
    )


@router.post("/invoices", status_code=201, summary="Start a draft invoice")
def create_draft(svc: MemberServices, body: strict(NewDraft)) -> JSONResponse:  # type: ignore[valid-type]
    return invoice_answer(svc.invoices.create_draft(body), 201)


@router.get("/invoices/{invoice_id}", summary="An invoice or credit note (by id or number)")
def invoice(svc: MemberServices, invoice_id: str) -> JSONResponse:
    return invoice_answer(svc.invoices.get(invoice_id))


@router.patch("/invoices/{invoice_id}", summary="Change a draft (the fields given)")
def update_draft(
    svc: MemberServices,
    invoice_id: str,
    body: strict(DraftChanges),  # type: ignore[valid-type]
    etag: IfMatch = None,
) -> JSONResponse:
    found = svc.invoices.update_draft(invoice_id, body, precondition=if_match(etag, invoice_answer))
    return invoice_answer(found)


@router.delete("/invoices/{invoice_id}", summary="Delete a draft")
def delete_draft(svc: MemberServices, invoice_id: str, etag: IfMatch = None) -> JSONResponse:
    svc.invoices.delete_draft(invoice_id, precondition=if_match(etag, invoice_answer))
    return JSONResponse({"object": "invoice", "id": invoice_id, "deleted": True})


@router.post("/invoices/{invoice_id}/lines", status_code=201, summary="Add a line to a draft")
def add_line(
    svc: MemberServices,
    invoice_id: str,
    body: strict(NewLine),  # type: ignore[valid-type]
    etag: IfMatch = None,
) -> JSONResponse:
    found = svc.invoices.add_line(invoice_id, body, precondition=if_match(etag, invoice_answer))
    return invoice_answer(found, 201)


@router.patch("/invoices/{invoice_id}/lines/{line_id}", summary="Change a draft's line")
def update_line(
    svc: MemberServices,
    invoice_id: str,
    line_id: str,
    body: strict(LineChanges),  # type: ignore[valid-type]
    etag: IfMatch = None,
) -> JSONResponse:
    found = svc.invoices.update_line(
        invoice_id, line_id, body, precondition=if_match(etag, invoice_answer)
    )
    return invoice_answer(found)


@router.delete("/invoices/{invoice_id}/lines/{line_id}", summary="Remove a draft's line")
def remove_line(
    svc: MemberServices, invoice_id: str, line_id: str, etag: IfMatch = None
) -> JSONResponse:
    found = svc.invoices.remove_line(
        invoice_id, line_id, precondition=if_match(etag, invoice_answer)
    )
    return invoice_answer(found)


@router.post(
    "/invoices/{invoice_id}/issue",
    summary="Issue a draft: its number, VAT and totals are fixed",
)
def issue(svc: MemberServices, invoice_id: str, etag: IfMatch = None) -> JSONResponse:
    found = svc.invoices.issue(invoice_id, precondition=if_match(etag, invoice_answer))
    return invoice_answer(found)
