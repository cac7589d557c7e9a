"""What the resource routes share: their router class (Idempotency-Key on POST), the JSON
answer of a view, the list envelope with its cursor, path ids checked for shape, and the
ETag / If-Match precondition of edits."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.server.idempotent import IdempotentRoute
from invoicer.server.serialise import plain

MAX_LIMIT = 100
T = TypeVar("T")


def router(tag: str) -> APIRouter:
    return APIRouter(prefix="/v1", tags=[tag], route_class=IdempotentRoute)


def answer(view: Any, status: int = 200, object_name: str | None = None) -> JSONResponse:
    body = plain(view)
    if object_name is not None and isinstance(body, dict):
        body = {"object": object_name, **body}
    return JSONResponse(body, status_code=status)


def listing(
    items: list[Any], *, object_name: str, next_cursor: str | None, total: int | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "object": "list",
        "data": [{"object": object_name, **plain(item)} for item in items],
        "has_more": next_cursor is not None,
        "next_cursor": next_cursor,
    }
    if total is not None:
        body["total"] = total
    return JSONResponse(body)


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"o:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position an opaque cursor stands for (None: the start)."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        position = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        position = -1
        kind = ""
    if kind != "o" or not 0 <= position <= 1_000_000_000:
        raise ValidationError.single("cursor", "invalid", "That cursor is not one this API gave.")
    return position


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError.single(
            "limit", "out_of_range", f"limit must be from 1 to {MAX_LIMIT}."
        )
    return limit


class PreconditionFailed(Conflict):
    """If-Match named another version than the current one: nothing was changed."""

    code = "precondition_failed"
    http_status = 412


def etag_of(body: bytes) -> str:
    """A strong ETag of an answer's JSON: any change to what the client saw changes it."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def with_etag(response: JSONResponse) -> JSONResponse:
    response.headers["ETag"] = etag_of(bytes(response.body))
    return response


def if_match(header: str | None, render: Callable[[T], JSONResponse]) -> Callable[[T], None] | None:
    """The precondition of an edit under If-Match, for the service to check in the edit's
    own transaction: the resource as it is, answered as a GET answers it (`render`), must
    have one of the ETags named (RFC 9110: strong comparison; `*` matches any). None without
    If-Match: the edit goes on."""
    if header is None:
        return None
    wanted = {tag.strip() for tag in header.split(",")}

    def check(current: T) -> None:
        if "*" not in wanted and etag_of(bytes(render(current).body)) not in wanted:
            raise PreconditionFailed(
                "This was changed since you read it (If-Match names another version); "
                "nothing was changed. Read it again and retry."
            )

    return check
