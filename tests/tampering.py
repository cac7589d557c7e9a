"""What a hand with the file and the sqlite3 shell can do, for the audit tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def tamper(path: Path, *statements: str) -> None:
    """Drop every trigger, then run `statements` and commit."""
    connection = sqlite3.connect(path)
    names = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    ]
    for name in names:
        connection.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
