"""A real PostgreSQL server for the tests: the Debian `postgresql` package's binaries, a
temporary data directory, a free loopback port and a private unix-socket directory.

`initdb` refuses to run as root, so under root the cluster belongs to the `postgres` system
user (run through `runuser`); as any other user it is simply that user's. `fsync` stays on:
the tests measure behaviour, not speed, and durability is what production has.

Each test gets a database of its own that the real migrations made: a clone of a template
built once (`CREATE DATABASE x TEMPLATE t`, ~0.5 s with fsync on), and after the test it is
emptied (TRUNCATE skips the row triggers; ~30 ms) and handed to the next test. A database whose
schema a test changed (a trigger added or dropped, a table gone) is dropped instead.
`initdb --no-sync` only skips flushing the new cluster's files once: the throw-away cluster is
no durability claim, and the server itself runs with fsync on.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BIN_DIR = Path(os.environ.get("INVOICER_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
TEMPLATE = "invoicer_template"


class PgUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (install the Debian `postgresql` package)."""


# What changes when a test alters the schema or its version (then the database is not reused).
_SHAPE = """
    SELECT (SELECT string_agg(version_num, ',') FROM alembic_version),
           (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'),
           (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O'),
           (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public')
"""
# Every table but alembic_version, emptied and its sequences reset, in one statement.
_EMPTY = """
    DO $$ BEGIN
        EXECUTE (SELECT 'TRUNCATE ' || string_agg(quote_ident(tablename), ', ')
                        || ' RESTART IDENTITY CASCADE'
                 FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version');
    END $$
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """One throw-away PostgreSQL cluster; `start()` / `stop()`; `url(name)` for a database."""

    def __init__(self) -> None:
        if not (BIN_DIR / "initdb").exists():
            raise PgUnavailable(
                f"{BIN_DIR}/initdb not found: install the `postgresql` package "
                "(scripts/bootstrap does) or set INVOICER_PG_BIN"
            )
        self.root = Path(tempfile.mkdtemp(prefix="invoicer-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._names = itertools.count(1)
        self._spare: list[str] = []
        self._shape: tuple[str, ...] | None = None  # the template's version, tables, ...

    def _run(self, *argv: str) -> None:
        command = [str(BIN_DIR / argv[0]), *argv[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        self.sockets.mkdir()
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions", "--no-sync",
        )  # fmt: skip
        for attempt in range(3):  # another xdist worker may take the free port first
            options = (
                f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=on "
                "-c max_connections=100 -c shared_buffers=32MB"
            )
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-o", options,
                    "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
                )  # fmt: skip
                return
            except RuntimeError:
                if attempt == 2:
                    raise RuntimeError((self.root / "server.log").read_text()) from None
                self.port = _free_port()

    def stop(self) -> None:
        # immediate: no shutdown checkpoint, the files are deleted next anyway.
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, *statements: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that); the last
        one's rows, if it returns any."""
        import psycopg

        conninfo = f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"
        result: list[tuple[Any, ...]] = []
        with psycopg.connect(conninfo, autocommit=True) as connection:
            for statement in statements:
                cursor = connection.execute(statement)  # type: ignore[arg-type]
                result = cursor.fetchall() if cursor.description else []
        return result

    def _shape_of(self, database: str) -> tuple[str, ...]:
        (shape,) = self.execute(_SHAPE, database=database)
        return tuple(str(value) for value in shape)

    def build_template(self) -> None:
        """The template every test database is cloned from: the real migrations, run once."""
        from invoicer.store.database import open_database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        open_database(self.url(TEMPLATE)).close()
        self._shape = self._shape_of(TEMPLATE)

    def new_database(self) -> str:
        """An empty, migrated database of the caller's own; returns its URL."""
        if self._spare:
            return self.url(self._spare.pop())
        name = f"test_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def release(self, url: str) -> None:
        """Empty the database for the next test, or drop it if its schema was changed."""
        name = url.rsplit("/", 1)[1]
        try:
            self.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            if self._shape_of(name) == self._shape:
                self.execute("SET lock_timeout = '5s'", _EMPTY, database=name)
                self._spare.append(name)
                return
        except Exception:  # anything odd: start again from the template
            pass
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def running_server() -> Iterator[PgServer]:
    """Start a server with a migrated template; stop it (and delete its files) afterwards."""
    server = PgServer()
    try:
        server.start()
        server.build_template()
        yield server
    finally:
        server.stop()
