"""One error object for every answer (Stripe's shape):
`{"error": {"type", "code", "message", "param"}}`, with the status the services' error table
gives (services/errors.py). Never a traceback: an unexpected exception is logged with its
request id and answered as `internal`, saying nothing of it."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from invoicer.domain.errors import InvoicerError, ValidationError
from invoicer.services.accounts.errors import TooManyAttempts
from invoicer.services.errors import error_payload, http_status

log = logging.getLogger("invoicer.server")


def payload(exc: BaseException) -> dict[str, Any]:
    body = error_payload(exc)
    error: dict[str, Any] = body["error"]
    error["param"] = error.pop("field", None)
    for problem in error.get("problems", ()):
        problem["param"] = problem.pop("field", None)
    return body


def problem(
    status: int, type_: str, code: str, message: str, param: str | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"type": type_, "code": code, "message": message, "param": param}},
        status_code=status,
    )


def invoicer_error_response(request: Request, exc: Exception) -> JSONResponse:
    headers = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    # an error of the HTTP layer may name its own status (412 of a failed If-Match)
    status = getattr(exc, "http_status", None) or http_status(exc)
    if status >= 500:
        log.warning("request %s refused: %s", request.state.__dict__.get("id"), type(exc).__name__)
    return JSONResponse(payload(exc), status_code=status, headers=headers)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    status = http_status(exc)  # a database refusal or a busy database, or a bug
    if status == 500:
        log.error("request %s failed", request.state.__dict__.get("id"), exc_info=exc)
    return JSONResponse(payload(exc), status_code=status)


def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems: list[dict[str, Any]] = []
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, ValidationError):  # a strict-mode or command refusal: ours
            problems.extend(
                {"param": p.field or None, "code": p.code, "message": p.message}
                for p in cause.problems
            )
            continue
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "header")
        ]
        param = ".".join(location) or None
        kind = error.get("type", "invalid")
        message = _message(kind, param, error)
        problems.append({"param": param, "code": _code(kind), "message": message})
    first = (
        problems[0]
        if problems
        else {"param": None, "code": "invalid", "message": "The request is not valid."}
    )
    return JSONResponse(
        {"error": {"type": "validation", **first, "problems": problems}}, status_code=422
    )


def _code(kind: str) -> str:
    return {
        "extra_forbidden": "unknown_field",
        "missing": "required",
        "json_invalid": "invalid_json",
        "model_attributes_type": "invalid_body",
        "dict_type": "invalid_body",
    }.get(kind, "invalid")


def _message(kind: str, param: str | None, error: dict[str, Any]) -> str:
    if kind == "extra_forbidden":
        return f"{param} is not a field of this request."
    if kind == "missing":
        return f"{param or 'The body'} is required."
    if kind == "json_invalid":
        return "The body is not valid JSON."
    if kind in ("model_attributes_type", "dict_type"):
        return "The body must be a JSON object."
    return f"{param}: {error.get('msg', 'not valid')}." if param else "The request is not valid."


def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    types = {
        401: "authentication",
        403: "permission",
        404: "not_found",
        405: "invalid_request",
        413: "invalid_request",
        429: "rate_limited",
    }
    codes = {404: "no_such_route", 405: "method_not_allowed", 413: "too_large"}
    message = exc.detail if isinstance(exc.detail, str) else "The request was refused."
    if exc.status_code == 404 and message == "Not Found":
        message = "There is no such route; the API is under /v1 (see /docs)."
    response = problem(
        exc.status_code,
        types.get(exc.status_code, "invalid_request"),
        codes.get(exc.status_code, "invalid_request"),
        message,
    )
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(InvoicerError, invoicer_error_response)
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
