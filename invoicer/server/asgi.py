"""The ASGI entry point uvicorn imports in each worker process: `invoicer.server.asgi:app`
(a factory). `invoicer serve` sets the config in the environment before it starts the
workers and has already migrated the database, so each worker only opens it."""

from __future__ import annotations

from fastapi import FastAPI


def app() -> FastAPI:
    from invoicer.server.app import create_app
    from invoicer.server.cli import config_from_environment, server_settings

    return create_app(config_from_environment(), settings=server_settings())
