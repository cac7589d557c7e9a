"""Open an Invoicer SQLite file: check it is ours, back it up, migrate it, hand out sessions.

- WAL journal, foreign keys on, a busy timeout so the TUI, the GUI and the CLI can share a file.
- Writes run in `BEGIN IMMEDIATE` transactions (`Database.write()`), so two processes issuing
  at once queue instead of failing half-way, and the number counter is read and bumped under
  the write lock.
- A file that is not an Invoicer database, or that a newer Invoicer made, is refused before
  anything touches it.
- A damaged file (SQLite finds it malformed, at opening or at any later read) raises
  `FileDamaged`, whose message names the newest good backup and how to put it back; it is
  never "upgraded" or copied as a backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from invoicer.store.audit import WRITER_KEY, Writer
from invoicer.store.file_checks import (
    DatabaseRefused,
    check_ours,
    current_revision,
    damaged,
    integrity_problems,
    is_damage,
    newest_migration,
)
from invoicer.store.tenancy import SCOPED_KEY, SHOP_KEY, tenant_scoped

BUSY_TIMEOUT_MS = 15_000


def _migrations_dir() -> str:
    return str(files("invoicer.store") / "migrations")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", _migrations_dir())
    config.attributes["connection"] = connection
    return config


def _head_and_known() -> tuple[str, set[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(_migrations_dir())
    head = script.get_current_head()
    assert head is not None
    return head, {rev.revision for rev in script.walk_revisions()}


def backup_file(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup API (safe while others write)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class Database:
    """One open Invoicer database file.

    `backup_log` is where `invoicer backup` notes its copies (see store/backups.py), so that
    a damaged file's message can name the newest good one.
    """

    def __init__(self, path: Path, backup_log: Path | None = None) -> None:
        self.path = path
        self.backup_log = backup_log
        self.engine: Engine = _make_engine(path, backup_log)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(invoicer_write=True), expire_on_commit=False
        )
        tenant_scoped(self._reader)
        tenant_scoped(self._writer)
        self._local_shop_id: str | None = None

    @property
    def local_shop_id(self) -> str | None:
        """The shop of a file that holds exactly one (every local file): the default of
        read() and write(). None when the file holds none or several (a server's)."""
        if self._local_shop_id is None:
            with self.engine.connect() as connection:
                ids = connection.execute(text("SELECT id FROM shops LIMIT 2")).scalars().all()
            if len(ids) == 1:
                self._local_shop_id = ids[0]
        return self._local_shop_id

    @contextlib.contextmanager
    def read(self, shop_id: str | None = None) -> Iterator[Session]:
        """A read transaction that sees the rows of `shop_id` (default: the file's shop)."""
        with self._reader() as session:
            session.info[SHOP_KEY] = shop_id or self.local_shop_id
            session.info[SCOPED_KEY] = shop_id is not None
            yield session

    @contextlib.contextmanager
    def read_plain(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on the plain sqlite3 connection, for standard-library queries
        shared with code that runs before SQLAlchemy is imported (services/dashboard.py)."""
        with self.read() as session:
            plain = session.connection().connection.driver_connection
            assert isinstance(plain, sqlite3.Connection)
            try:
                yield plain
            except sqlite3.DatabaseError as error:
                if is_damage(error):
                    raise damaged(self.path, str(error), self.backup_log) from error
                raise

    @contextlib.contextmanager
    def write(self, writer: Writer | None = None, shop_id: str | None = None) -> Iterator[Session]:
        """A BEGIN IMMEDIATE transaction: committed on success, rolled back on any error.
        `writer`: who the transaction's audit events are by (store/audit.py); `shop_id`: the
        shop it writes for (default: the file's shop; store/tenancy.py)."""
        with self._writer() as session, session.begin():
            session.info[SHOP_KEY] = shop_id or self.local_shop_id
            session.info[SCOPED_KEY] = shop_id is not None
            if writer is not None:
                session.info[WRITER_KEY] = writer
            yield session

    def check_integrity(self, *, full: bool = False) -> None:
        """Raise FileDamaged if SQLite's quick_check (integrity_check with `full`) finds the
        file damaged."""
        problems = integrity_problems(self.path, full=full)
        if problems:
            raise damaged(self.path, problems[0], self.backup_log)

    def close(self) -> None:
        # The read-only look at the file when it is opened (file_checks) leaves an empty -wal
        # and -shm behind, which only a read-write connection removes when it closes last: a
        # command refused before any query then leaves the folder as it found it.
        with contextlib.suppress(Exception):
            self.engine.connect().close()
        self.engine.dispose()


def _make_engine(path: Path, backup_log: Path | None = None) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed invoice survives a power cut, not only a killed process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        # Any statement, at any time, that finds the file malformed: say so plainly.
        error = context.original_exception
        if is_damage(error):
            raise damaged(path, str(error), backup_log) from error

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("invoicer_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_database(
    path: Path,
    on_upgrade: Callable[[Path], None] | None = None,
    backup_log: Path | None = None,
) -> Database:
    """Open (creating or upgrading) the Invoicer database at `path`.

    `on_upgrade(backup)` is called before an existing file is copied and upgraded (which takes
    a while for a big file), so that a front-end can say what is happening. `backup_log`: see
    Database.
    """
    path = path.expanduser()
    existing = check_ours(path)
    try:
        current = current_revision(path) if existing else None
    except sqlite3.DatabaseError as error:
        raise damaged(path, str(error), backup_log) from error
    if existing and current == newest_migration():
        return Database(path, backup_log)  # up to date: nothing to check or migrate
    head, known = _head_and_known()
    if existing:
        if current is not None and current not in known:
            raise DatabaseRefused(
                f"{path} was made by a newer version of Invoicer (schema {current}); "
                "update Invoicer to open it."
            )
        if current != head:
            problems = integrity_problems(path)  # never keep a damaged copy as "the backup"
            if problems:
                raise damaged(path, problems[0], backup_log)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.name}.before-upgrade-{stamp}.bak")
            if on_upgrade is not None:
                on_upgrade(backup)
            backup_file(path, backup)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(path, backup_log)
    try:
        _upgrade(database.engine, head)
    except Exception:
        database.close()
        raise
    return database


def _upgrade(engine: Engine, head: str) -> None:

    with engine.connect() as connection:
        current = connection.execute(
            text("SELECT name FROM sqlite_master WHERE name = 'alembic_version'")
        ).scalar()
        if current:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if version == head:
                return
        connection.commit()
        migrate(connection, "upgrade", "head")


def migrate(connection: Any, direction: str, revision: str) -> None:
    """Run the migrations up or down to `revision` on `connection` (not in a transaction),
    and commit. On SQLite foreign keys are off meanwhile (rebuilding a table drops and renames
    it, which they would refuse or cascade); env.py checks every reference before the commit.
    The pragma only takes effect outside a transaction, and is put back for the pool."""
    from alembic import command

    run = command.upgrade if direction == "upgrade" else command.downgrade
    plain = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    if plain is not None:
        plain.execute("PRAGMA foreign_keys = OFF")
    try:
        run(_alembic_config(connection), revision)
        connection.commit()
    finally:
        connection.rollback()
        if plain is not None:
            plain.execute("PRAGMA foreign_keys = ON")


def copy_file(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
