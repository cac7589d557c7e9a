"""docs/api.md from the app's OpenAPI and route table: every route's method, path, summary,
who may call it, its request body's fields and its answers. `scripts/gen-api-docs` writes the
file; a test fails when the committed one is stale (as for docs/cli.md)."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from invoicer.server import auth, device_auth

HEADER = """# The Invoicer API

Generated from the OpenAPI of `invoicer serve` by `scripts/gen-api-docs`; do not edit by hand.
The live schema is at `/openapi.json`, interactive docs at `/docs`.

Authenticate with `Authorization: Bearer <access token>` (from `POST /v1/auth/token`) or with an
API key (`Bearer sk_live_…` / `sk_test_…`, or the key as the HTTP Basic user name). Every POST
honours an `Idempotency-Key` header. Amounts are integer minor units with their currency;
quantities and prices are exact decimal strings. Every error is one object:
`{"error": {"type", "code", "message", "param"}}`.
"""

# Who may call a route, from the guard it depends on (the strictest one found).
GUARDS = (
    (auth.superadmin, "the platform's superadmin"),
    (auth.shop_admin, "a shop admin (signed in; not an API key)"),
    (auth.shop_member, "a shop member: a signed-in user or admin, or an API key"),
    (device_auth.admin_or_device, "a shop admin, or a sync device of the shop (Bearer dv_…)"),
    (device_auth.device_caller, "a registered sync device (Bearer dv_…, Invoicer-Schema header)"),
    (auth.principal, "anyone signed in"),
)


def _guards(route: Any) -> set[Any]:
    found = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        found.add(dependency.call)
        stack.extend(dependency.dependencies)
    return found


def who_may_call(route: Any) -> str:
    found = _guards(route)
    for guard, text in GUARDS:
        if guard in found:
            return text
    return "no sign-in needed"


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return " \\| ".join(f"`{v}`" for v in schema["enum"])
    if "type" in schema:
        kind = schema["type"]
        if kind == "array":
            return f"array of {_type(spec, schema.get('items', {}))}"
        return str(kind)
    options = schema.get("anyOf") or schema.get("oneOf") or []
    kinds = [_type(spec, option) for option in options]
    return " or ".join(dict.fromkeys(k for k in kinds if k)) or "any"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _body(spec: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    lines: list[str] = []
    for media, entry in content.items():
        schema = _resolve(spec, entry.get("schema", {}))
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        lines += ["", f"Request body (`{media}`):", ""]
        if not properties:
            lines.append(f"- {_cell(schema.get('description') or _type(spec, schema))}")
            continue
        lines += ["| Field | Type | Required | Description |", "|---|---|---|---|"]
        lines += _rows(spec, properties, required, "")
    return lines


def _rows(
    spec: dict[str, Any], properties: dict[str, Any], required: set[str], prefix: str
) -> list[str]:
    """One table row per field; an object's own fields follow it, named `parent.field`."""
    rows = []
    for name, prop in properties.items():
        resolved = _resolve(spec, prop)
        description = prop.get("description") or resolved.get("description", "")
        rows.append(
            f"| `{prefix}{name}` | {_cell(_type(spec, prop))} | "
            f"{'yes' if name in required else ''} | {_cell(description)} |"
        )
        if resolved.get("properties") and not prefix:
            inner = set(resolved.get("required", ()))
            rows += _rows(spec, resolved["properties"], inner, f"{prefix}{name}.")
    return rows


def _parameters(operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    if not parameters:
        return []
    lines = ["", "Parameters:", ""]
    for p in parameters:
        required = " (required)" if p.get("required") else ""
        description = p.get("description") or p.get("schema", {}).get("description", "")
        text = f": {_cell(description)}" if description else ""
        lines.append(f"- `{p['name']}` in {p['in']}{required}{text}")
    return lines


def render(app: Any) -> str:
    spec = app.openapi()
    out = [HEADER]
    routes = [
        r
        for r in iter_route_contexts(app.routes)
        if isinstance(r.original_route, APIRoute) and r.include_in_schema
    ]
    tags: dict[str, list[Any]] = {}
    for route in routes:
        tags.setdefault((route.tags or ["other"])[0], []).append(route)
    for tag, members in tags.items():
        out += ["", f"## {tag[:1].upper()}{tag[1:]}"]
        for route in members:
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                operation = spec["paths"][route.path_format][method.lower()]
                out += ["", f"### `{method} {route.path_format}`", ""]
                out.append(operation.get("summary") or route.name)
                description = operation.get("description")
                if description:
                    out += ["", description.strip()]
                out += ["", f"Who may call it: {who_may_call(route)}."]
                out += _parameters(operation)
                out += _body(spec, operation)
                out += ["", "Answers:", ""]
                for status, answer in operation.get("responses", {}).items():
                    out.append(f"- `{status}`: {_cell(answer.get('description', ''))}")
    return "\n".join(out) + "\n"


@contextlib.contextmanager
def docs_app() -> Iterator[Any]:
    """An app to read the OpenAPI of, on a throwaway SQLite file (no route is called)."""
    from invoicer.server.app import close, create_app
    from invoicer.server.config import ServerConfig

    with tempfile.TemporaryDirectory(prefix="invoicer-api-docs-") as folder:
        config = ServerConfig(
            database=str(Path(folder) / "docs.sqlite"), jwt_secret="d" * 48, production=False
        )
        app = create_app(config)
        try:
            yield app
        finally:
            close(app)


def main() -> None:
    with docs_app() as app:
        sys.stdout.write(render(app))


if __name__ == "__main__":
    main()
