"""The platform superadmin's routes: shops, users, suspending a shop, the server's audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from invoicer.server.auth import Superadmin, state_of
from invoicer.server.routes.common import answer, listing
from invoicer.server.routes.common import router as make_router

router = make_router("platform")


class Suspension(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    suspended: bool


@router.get("/platform/shops", summary="Every shop on this server")
def shops(request: Request, who: Superadmin) -> JSONResponse:
    return listing(state_of(request).accounts.shops(), object_name="shop", next_cursor=None)


@router.get("/platform/users", summary="Every user on this server")
def users(request: Request, who: Superadmin) -> JSONResponse:
    return listing(state_of(request).accounts.all_users(), object_name="user", next_cursor=None)


@router.post("/platform/shops/{shop_id}/suspension", summary="Suspend or resume a shop")
def suspend(request: Request, who: Superadmin, shop_id: str, body: Suspension) -> JSONResponse:
    return answer(
        state_of(request).accounts.suspend(shop_id, body.suspended, by=who.actor),
        object_name="shop",
    )


@router.get("/platform/events", summary="The server's audit log")
def events(
    request: Request,
    who: Superadmin,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONResponse:
    found = state_of(request).accounts.events(after=after, limit=limit)
    last = found[-1].id if len(found) == limit else None
    body = listing(
        found, object_name="server_event", next_cursor=None if last is None else str(last)
    )
    return body
