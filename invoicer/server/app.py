"""The API as an ASGI app: `create_app(config, ...)` builds it on an open database (uvicorn
imports invoicer.server.asgi:app, a factory, in each worker process)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from invoicer.server import errors, openapi
from invoicer.server.config import ServerConfig
from invoicer.server.cors import ApiCors
from invoicer.server.middleware import Hardening
from invoicer.server.state import ServerState
from invoicer.services.context import Clock, SecretStore
from invoicer.services.settings import Settings
from invoicer.store.database import Database, open_database

API_VERSION = "1"
DESCRIPTION = """The Invoicer API: a shop's customers, products, invoices, credit notes and
payments, with EU VAT decided by the same engine as the desktop app.

Authenticate with a Bearer access token from `/v1/auth/token` or an API key (`sk_live_…`,
`sk_test_…`). Amounts are integer minor units with their currency; quantities and prices are
exact decimal strings. Every POST honours an `Idempotency-Key` header. Errors are one object:
`{"error": {"type", "code", "message", "param"}}`."""


def create_app(
    config: ServerConfig,
    *,
    db: Database | None = None,
    clock: Clock | None = None,
    settings: Settings | None = None,
    secrets: SecretStore | None = None,
) -> FastAPI:
    from invoicer.server.pages import routes as pages
    from invoicer.server.routes import auth, health, members, platform, resources, webhooks
    from invoicer.server.secret_store import ServerSecrets
    from invoicer.services.local import SystemClock

    state = ServerState.build(
        config,
        db or open_database(config.database),
        clock or SystemClock(),
        settings or Settings(),
        secrets or ServerSecrets(),
    )
    app = FastAPI(
        title="Invoicer API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.invoicer = state
    errors.install(app)
    for module in (health, auth, members, platform, *resources.MODULES, webhooks, pages):
        app.include_router(module.router)
    openapi.install(app)
    if config.cors_origins:
        app.add_middleware(
            ApiCors,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match"],
            allow_credentials=True,
            max_age=600,
        )
    app.add_middleware(
        Hardening,
        max_body_bytes=config.max_body_bytes,
        secure=config.secure_cookies,
        larger_bodies={"/v1/sync/push": config.max_sync_body_bytes},
    )
    return app


def close(app: Any) -> None:
    app.state.invoicer.db.close()
