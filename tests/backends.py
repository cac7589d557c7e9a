"""Plain connections to a test store on either backend (a SQLite path or a PostgreSQL URL),
outside Invoicer's Database: what a script or a shell on the database can do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool


def raw_engine(target: Path | str) -> Engine:
    url = target if isinstance(target, str) else f"sqlite:///{target}"
    return create_engine(url, poolclass=NullPool)


def rows(target: Path | str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = raw_engine(target)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(target: Path | str, *statements: str, **params: Any) -> None:
    """Run statements in one transaction and commit (errors propagate, nothing committed)."""
    engine = raw_engine(target)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), params)
    finally:
        engine.dispose()


def dialect(target: Path | str) -> str:
    return "postgresql" if isinstance(target, str) else "sqlite"
