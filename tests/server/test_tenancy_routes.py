"""Cross-tenant access on every route, generated from the app's route table: shop B, with its
own valid credentials, calls each /v1 route that takes a path parameter with shop A's real
ids. The answer is always 404 (never 200, never a 403 that would say the row exists), the
same as for an id nobody has, and afterwards every row shop A holds is as it was.

No route list is kept here: a new route is covered as soon as it exists. A path parameter of
a kind this test does not know fails it, naming the route, so whoever adds the route says
here which of shop A's rows it takes."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from invoicer.server import auth
from tests.server.conftest import Shop
from tests.server.security import (
    Rows,
    assert_error_shape,
    create_key,
    key_headers,
    make_rows,
    snapshot,
)

# Path parameters that name no row (a format, a position...): their values come from the
# OpenAPI enum if it has one, else a plausible value. A new non-id parameter goes here.
NOT_IDS: dict[str, str] = {
    "format": "pdf",
    "position": "1",
    "name": "stripe_secret_key",
    "kind": "invoice",  # a mail template's: the shop's own by the shop it is saved in
    "language": "nl",
}


def v1_routes(app: Any) -> list[Any]:
    """Every API route under /v1, as mounted (with its router's prefix)."""
    return [
        r
        for r in iter_route_contexts(app.routes)
        if isinstance(r.original_route, APIRoute) and r.path_format.startswith("/v1/")
    ]


def path_params(route: Any) -> list[str]:
    return [p.name for p in route.dependant.path_params]


def needs(route: Any, guard: Any) -> bool:
    """Whether the route's dependencies (at any depth) include `guard`."""
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if dependency.call is guard:
            return True
        stack.extend(dependency.dependencies)
    return False


def label(route: Any, method: str) -> str:
    return f"{method} {route.path} ({route.name})"


def _operation(app: Any, route: Any, method: str) -> dict[str, Any]:
    paths = app.openapi()["paths"]
    return paths.get(route.path_format, {}).get(method.lower(), {})  # type: ignore[no-any-return]


def _resolve(app: Any, schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = app.openapi()["components"]["schemas"][name]
    return schema


# Values for required body fields a route cannot do without, by name (the row ids are shop
# B's own where a body names one, so only the path's id is shop A's).
BODY_HINTS: dict[str, Any] = {
    "role": "user",
    "mode": "live",
    "name": "Tenancy probe",
    "email": "probe@example.com",
    "country": "NL",
    "quantity": "1",
    "unit_price": "1.00",
    "description": "Probe",
    "amount": "1.00",
    "suspended": True,
    "required": False,
}


def minimal_body(app: Any, route: Any, method: str) -> dict[str, Any] | None:
    """The smallest JSON body the route's schema accepts: its required fields only."""
    operation = _operation(app, route, method)
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    schema = _resolve(app, content["application/json"]["schema"])
    body = {}
    for name in schema.get("required", ()):
        prop = _resolve(app, schema["properties"][name])
        if name in BODY_HINTS:
            body[name] = BODY_HINTS[name]
        elif "enum" in prop:
            body[name] = prop["enum"][0]
        else:
            kind = prop.get("type", "string")
            body[name] = {"string": "x", "integer": 1, "boolean": False, "object": {}}.get(
                kind, "x"
            )
    return body


def _candidates(
    app: Any, route: Any, method: str, rows: Rows
) -> tuple[list[dict[str, str]], list[str]]:
    """Every combination of shop A's ids for the route's path, and the problems (unknown
    parameter kinds) that the test reports by route."""
    problems = []
    choices: dict[str, list[str]] = {}
    parameters = {p["name"]: p for p in _operation(app, route, method).get("parameters", [])}
    for name in path_params(route):
        if name in rows.ids:
            choices[name] = rows.ids[name]
        elif name in NOT_IDS:
            schema = _resolve(app, parameters.get(name, {}).get("schema", {}))
            choices[name] = [str(schema["enum"][0])] if "enum" in schema else [NOT_IDS[name]]
        else:
            problems.append(
                f"{label(route, method)}: path parameter {name!r} is unknown to the tenancy "
                "test; add shop A's rows of that kind to tests/server/security.py make_rows "
                "(or the name to NOT_IDS)"
            )
    combos: list[dict[str, str]] = [{}]
    for name, values in choices.items():
        combos = [{**combo, name: value} for combo in combos for value in values]
    return combos, problems


def _random(route: Any, values: dict[str, str]) -> dict[str, str]:
    """The same path with every id replaced by one nobody has."""
    return {k: (v if k in NOT_IDS else str(uuid.uuid4())) for k, v in values.items()}


def _call(
    client: TestClient,
    route: Any,
    method: str,
    values: dict[str, str],
    headers: dict[str, str],
    body: Any,
) -> Any:
    path = route.path_format.format(**values)
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return client.request(method, path, **kwargs)


def test_every_route_with_an_id_answers_404_for_another_shops_rows(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    app = client.app
    rows = make_rows(client, shop)
    before = snapshot(client, rows)
    intruders = {
        "admin token": other_shop.headers,
        "sk_live key": key_headers(create_key(client, other_shop, "live")["secret"]),
        "sk_test key": key_headers(create_key(client, other_shop, "test")["secret"]),
    }
    failures: list[str] = []
    checked = 0
    for route in v1_routes(app):
        if all(name in NOT_IDS for name in path_params(route)):
            continue  # no row id in the path (a secret's name): nothing of another shop to name
        platform = needs(route, auth.superadmin)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            combos, problems = _candidates(app, route, method, rows)
            failures.extend(problems)
            if problems:
                continue
            body = minimal_body(app, route, method)
            for who, headers in intruders.items():
                for values in combos:
                    real = _call(client, route, method, values, headers, body)
                    nobody = _call(client, route, method, _random(route, values), headers, body)
                    checked += 1
                    where = f"{label(route, method)} as shop B's {who} with {values}"
                    if real.status_code != nobody.status_code or (
                        real.status_code != 404 and real.json() != nobody.json()
                    ):
                        failures.append(
                            f"{where}: answers {real.status_code} {real.text[:200]} for shop "
                            f"A's row but {nobody.status_code} for an unknown id"
                        )
                        continue
                    allowed_to_try = who == "admin token" and not platform
                    if allowed_to_try and real.status_code != 404:
                        failures.append(f"{where}: {real.status_code} {real.text[:300]}")
                        continue
                    if real.status_code < 400:
                        failures.append(f"{where}: {real.status_code} {real.text[:300]}")
                        continue
                    if real.status_code == 404 or real.status_code == 403:
                        assert_error_shape(real)
    assert not failures, "\n".join(failures)
    assert checked > 0
    assert snapshot(client, rows) == before, "shop B's calls changed shop A's rows"


def test_a_route_with_an_unknown_kind_of_path_parameter_is_reported_by_name(
    client: TestClient, shop: Shop
) -> None:
    """The guard itself: a route nobody told this test about fails it, with its name."""

    def widget(widget_id: str) -> dict[str, str]:  # pragma: no cover - never called
        return {}

    probe = APIRoute("/v1/widgets/{widget_id}", widget, methods=["GET"], name="widget")
    _, problems = _candidates(client.app, probe, "GET", make_rows(client, shop))
    assert problems
    assert "GET /v1/widgets/{widget_id} (widget)" in problems[0]
    assert "'widget_id'" in problems[0]


def test_ids_of_another_shop_in_a_body_are_not_found(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    """A body that names another shop's row (a customer for a draft, a product for a line)
    is refused as not found, for every POST/PATCH whose body has such a field."""
    app = client.app
    rows = make_rows(client, shop)
    mine = make_rows(client, other_shop)
    before = snapshot(client, rows)
    failures = []
    for route in v1_routes(app):
        for method in sorted(route.methods & {"POST", "PATCH", "PUT"}):
            body = minimal_body(app, route, method)
            if body is None:
                continue
            schema = _resolve(
                app,
                _operation(app, route, method)["requestBody"]["content"]["application/json"][
                    "schema"
                ],
            )
            fields = [f for f in schema.get("properties", {}) if f in rows.ids and f != "user_id"]
            if not fields:
                continue
            path_values = {}
            for name in path_params(route):
                path_values[name] = (mine.ids.get(name) or [NOT_IDS.get(name, "x")])[0]
            for field_name in fields:
                probe = {**body, field_name: rows.ids[field_name][0]}
                answer = _call(client, route, method, path_values, other_shop.headers, probe)
                if answer.status_code < 400 or answer.status_code == 403:
                    failures.append(
                        f"{label(route, method)} with shop A's {field_name}: "
                        f"{answer.status_code} {answer.text[:300]}"
                    )
    assert not failures, "\n".join(failures)
    assert snapshot(client, rows) == before
