"""Property-based fuzzing of the whole OpenAPI with schemathesis, as a signed-in shop admin:
whatever the generated request, no 5xx, and every answer matches the schema the OpenAPI
declares for it. Bounded (a few examples per operation, derandomized) to stay near a minute,
on SQLite only: the app is built here on its own file, not on the `client` fixture's
backends (PostgreSQL gets the same routes through the other tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from invoicer.server.app import create_app
from invoicer.store.database import open_database
from tests.server.conftest import MovableClock, make_config, sign_up

MAX_EXAMPLES = 20


@pytest.fixture
def fuzzed(tmp_path: Path) -> Iterator[dict[str, Any]]:
    config = make_config(str(tmp_path / "fuzz.sqlite"))
    db = open_database(config.database)
    app = create_app(config, db=db, clock=MovableClock())
    try:
        with TestClient(app) as client:
            shop = sign_up(client)
            client.post(
                "/v1/customers", headers=shop.headers, json={"name": "Jansen", "country": "NL"}
            )
        yield {"app": app, "headers": shop.headers}
    finally:
        db.close()


@pytest.fixture
def api_schema(fuzzed: dict[str, Any]) -> Any:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", fuzzed["app"])
    # Valid and invalid requests, NUL characters included; no example database on disk.
    loaded.config.generation.update(
        modes=list(schemathesis.GenerationMode), allow_x00=True, database="none"
    )
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_answers_match_the_schema(case: Any, fuzzed: dict[str, Any]) -> None:
    case.call_and_validate(
        headers=fuzzed["headers"], checks=[not_a_server_error, response_schema_conformance]
    )
