"""The OpenAPI the app publishes, with its errors as they are: FastAPI declares a 422 shaped
`{"detail": [...]}`, which this API never answers. Every operation instead declares the one
error object (`Error`) for the refusals it can give: 401/403 where a sign-in is needed, 404
where a path names a row, 413 and 422 where a request has a body or parameters, 429 for
signing in, 409 and 426 for a sync device's calls."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "code", "message", "param"],
            "properties": {
                "type": {"type": "string", "description": "validation, not_found, ..."},
                "code": {"type": "string", "description": "What exactly, for programs."},
                "message": {"type": "string", "description": "What happened, for people."},
                "param": {
                    "anyOf": [{"type": "string"}, {"type": "null"}],
                    "description": "The field or parameter at fault, if one is.",
                },
                "problems": {
                    "type": "array",
                    "description": "Every problem found (validation errors).",
                    "items": {"type": "object"},
                },
            },
        }
    },
}
REF = {"$ref": "#/components/schemas/Error"}
MEANINGS = {
    "401": "Not signed in: the credentials are missing, wrong, expired or revoked.",
    "403": "Signed in, but this role may not do this (or the shop is suspended).",
    "404": "No such row in this shop.",
    "409": "In conflict with the row's state.",
    "413": "The request body is too large.",
    "422": "The request is not valid (the problems say which field and why).",
    "426": "The device's Invoicer is too old for this server: update it (client_outdated).",
    "429": "Too many failed sign-ins: wait the seconds in Retry-After.",
}


def _needs(route: Any, *guards: Any) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if dependency.call in guards:
            return True
        stack.extend(dependency.dependencies)
    return False


def _signed_in(route: Any) -> bool:
    from invoicer.server import auth, device_auth

    return _needs(route, auth.principal, device_auth.device_caller, device_auth.admin_or_device)


def _by_device(route: Any) -> bool:
    """A sync device's call: refused as outdated (426), or as not fitting the log (409)."""
    from invoicer.server import device_auth

    return _needs(route, device_auth.device_caller)


def declare_errors(app: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` with the Error schema and each operation's error answers (idempotent)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in (route.methods or set()) - {"HEAD", "OPTIONS"}:
            operation = spec["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            statuses = []
            if _signed_in(route):
                statuses += ["401", "403"]
            if route.dependant.path_params:
                statuses.append("404")
            if "requestBody" in operation:
                statuses.append("413")
            if "requestBody" in operation or operation.get("parameters"):
                statuses.append("422")
            if route.path_format == "/v1/auth/token":
                statuses.append("429")
            if _by_device(route):
                statuses += ["409", "426"]
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status in statuses:
                responses[status] = {
                    "description": MEANINGS[status],
                    "content": {"application/json": {"schema": REF}},
                }
    return spec


def install(app: Any) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return declare_errors(app, generate())

    app.openapi = openapi
