"""A plain DB-API connection for the standard-library queries (services/dashboard.py) on
either backend: sqlite3 as it is, psycopg behind the one call they make (`execute` with `?`
placeholders). Standard library only, like its callers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class PlainConnection(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any: ...


class QmarkConnection:
    """A psycopg connection that takes SQLite's `?` placeholders (the queries hold no `%`)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        return self._connection.execute(sql.replace("?", "%s"), tuple(parameters))
