"""/healthz (the process answers) and /readyz (the database answers and its schema is the
one this version of Invoicer needs): for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from invoicer.server.auth import state_of

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The server process is up")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", summary="The database is reachable and its schema current")
def readyz(request: Request) -> JSONResponse:
    from invoicer.store.file_checks import newest_migration

    state = state_of(request)
    try:
        with state.db.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    head = newest_migration()
    if revision != head:
        return JSONResponse(
            {
                "status": "unavailable",
                "database": "schema_behind",
                "schema": revision,
                "expected": head,
            },
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": state.db.dialect, "schema": revision})
