"""What a hand with the database and its shell (sqlite3, psql) can do, for the audit tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.backends import raw_engine


def tamper(target: Path | str, *statements: str) -> None:
    """Turn the triggers off, then run `statements` and commit. On SQLite: drop every
    trigger; on PostgreSQL (a superuser's session): `session_replication_role = replica`."""
    if isinstance(target, str):
        from sqlalchemy import text

        engine = raw_engine(target)
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for statement in statements:
                connection.execute(text(statement))
        engine.dispose()
        return
    connection = sqlite3.connect(target)
    names = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    ]
    for name in names:
        connection.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
