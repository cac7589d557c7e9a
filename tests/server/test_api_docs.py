"""docs/api.md stays in step with the server's OpenAPI and route table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from invoicer.server.api_docs import docs_app, render
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def app() -> Iterator[Any]:
    with docs_app() as application:
        yield application


def test_docs_api_md_is_current(app: Any) -> None:
    committed = (REPO_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert committed == render(app), "docs/api.md is stale: run scripts/gen-api-docs"


def test_every_route_is_documented_with_who_may_call_it(app: Any) -> None:
    text = render(app)
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in (route.methods or set()) - {"HEAD", "OPTIONS"}:
            heading = f"### `{method} {route.path_format}`"
            assert heading in text
            section = text.split(heading, 1)[1].split("\n### ", 1)[0]
            assert "Who may call it:" in section
            assert "Answers:" in section
    assert "| `shop.legal_name` |" in text  # a nested body's fields
    assert "the platform's superadmin" in text
    assert "a shop admin" in text
