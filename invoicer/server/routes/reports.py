"""The shop's reports (revenue stats, VAT summary, receivables ageing) and its audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import parse_date
from invoicer.server.auth import AdminServices, MemberServices
from invoicer.server.routes.common import answer, decode_cursor, encode_cursor, listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.services.reports import MAX_DAYS

router = make_router("reports and audit")

DateText = Annotated[str, Query(max_length=10, description="An ISO date (2026-03-31).")]


def _date(value: str, field: str) -> dt.date:
    if "\x00" in value:
        raise ValidationError.single(field, "invalid_date", f"{field} is not a date.")
    # The one date parser, bounded to the years invoices can have (year 1 is refused).
    return parse_date(value, field=field)


@router.get("/reports/stats", summary="Revenue per day, and paid against open, per currency")
def stats(
    svc: MemberServices,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="Days up to today.")] = 30,
) -> JSONResponse:
    return answer(svc.reports.revenue_stats(days), object_name="revenue_stats")


@router.get("/reports/vat-summary", summary="The VAT summary of a period")
def vat_summary(svc: MemberServices, start: DateText, end: DateText) -> JSONResponse:
    return answer(
        svc.reports.vat_summary(_date(start, "start"), _date(end, "end")),
        object_name="vat_summary",
    )


@router.get("/reports/aging", summary="Receivables by how long they are overdue")
def aging(
    svc: MemberServices, as_of: Annotated[str | None, Query(max_length=10)] = None
) -> JSONResponse:
    day = _date(as_of, "as_of") if as_of is not None else svc.today()
    rows = [{"object": "aging_row", **plain(row)} for row in svc.reports.aging(day)]
    return JSONResponse({"object": "aging", "as_of": day.isoformat(), "data": rows})


@router.get("/audit/events", summary="The shop's audit trail, oldest first")
def audit_events(
    svc: MemberServices,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> JSONResponse:
    events = svc.audit.events(after_seq=decode_cursor(cursor), limit=limit + 1)
    page, more = events[:limit], len(events) > limit
    return listing(
        list(page),
        object_name="audit_event",
        next_cursor=encode_cursor(page[-1].seq) if more else None,
    )


@router.get("/audit/verify", summary="Verify the shop's audit trail and documents (admins)")
def audit_verify(
    svc: AdminServices, expect: Annotated[str | None, Query(max_length=64)] = None
) -> JSONResponse:
    return answer(svc.audit.verify(expect), object_name="audit_report")
