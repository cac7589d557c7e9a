"""What only the PostgreSQL store has: a URL instead of a file, migrations that two servers
may start at once, and a schema from a newer Invoicer refused as the SQLite file is."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from invoicer.store.database import Database, DatabaseRefused, NotAFile, open_database
from tests.backends import execute, rows
from tests.pg_server import PgServer


def test_a_postgresql_database_has_no_file(pg_url: str) -> None:
    database = open_database(pg_url)
    try:
        assert not database.is_file
        assert database.location == pg_url
        with pytest.raises(NotAFile, match="PostgreSQL server"):
            _ = database.path
        database.check_integrity()  # the server checks its own pages: nothing to do
    finally:
        database.close()


def test_a_schema_from_a_newer_version_is_refused_untouched(pg_url: str) -> None:
    execute(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseRefused, match="newer version"):
        open_database(pg_url)
    assert rows(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]


def test_two_servers_migrating_an_empty_database_at_once(pg_server: PgServer) -> None:
    pg_server.execute("CREATE DATABASE empty_at_start")
    url = pg_server.url("empty_at_start")
    opened: list[Database] = []
    failures: list[BaseException] = []

    def start() -> None:
        try:
            opened.append(open_database(url))
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=start) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert failures == []
        assert len(opened) == 2
        with opened[0].read() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).all()
        assert [v for (v,) in version] == [_head()]
    finally:
        for database in opened:
            database.close()
        pg_server.execute("DROP DATABASE empty_at_start WITH (FORCE)")


def _head() -> str:
    from invoicer.store.database import _head_and_known

    return _head_and_known()[0]
