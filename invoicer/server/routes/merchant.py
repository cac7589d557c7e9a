"""The merchant's statistics: issued and received per day, paid against open, top customers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator

from invoicer.server import minor_units
from invoicer.server.auth import MemberServices
from invoicer.server.routes.common import answer
from invoicer.server.routes.common import router as make_router
from invoicer.services.reports import MAX_DAYS, check_days

router = make_router("merchant statistics")


def _whole_days(value: object) -> int:
    """The query's text as a number of days: digits only (so 1e999, 30.5, NUL and words are
    refused with the service's own message, not a parser's)."""
    text = value if isinstance(value, str) else ""
    return check_days(int(text) if text.isascii() and text.isdigit() and len(text) < 5 else None)


Days = Annotated[
    int,
    BeforeValidator(_whole_days),
    Query(ge=1, le=MAX_DAYS, description=f"Days up to the shop's today, 1 to {MAX_DAYS}."),
]


@router.get(
    "/merchant/stats",
    summary="Issued and received per day, paid against open and the top customers, "
    "per currency (amounts in minor units)",
)
def merchant_stats(svc: MemberServices, days: Days = 30) -> JSONResponse:
    view = svc.merchant_stats.stats(days)
    return answer(minor_units.merchant_stats(view), object_name="merchant_stats")
