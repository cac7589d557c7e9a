"""A real PostgreSQL server for the tests: the Debian `postgresql` package's binaries, a
temporary data directory, a free loopback port and a private unix-socket directory.

`initdb` refuses to run as root, so under root the cluster belongs to the `postgres` system
user (run through `runuser`); as any other user it is simply that user's. `fsync` stays on:
the tests measure behaviour, not speed, and durability is what production has.

Each test gets its own database cloned from a template that the real migrations built once
(`CREATE DATABASE x TEMPLATE t` copies files: a few milliseconds, no migrations per test).
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

BIN_DIR = Path(os.environ.get("INVOICER_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
TEMPLATE = "invoicer_template"


class PgUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (install the Debian `postgresql` package)."""


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
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=on "
            "-c max_connections=100 -c shared_buffers=32MB"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, *statements: str) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        conninfo = f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]

    def build_template(self) -> None:
        """The template every test database is cloned from: the real migrations, run once."""
        from invoicer.store.database import open_database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        open_database(self.url(TEMPLATE)).close()  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A fresh, migrated database (a clone of the template); returns its URL."""
        name = f"test_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
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
