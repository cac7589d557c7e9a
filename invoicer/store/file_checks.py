"""Is this file an up-to-date Invoicer database? Answered with the standard library alone.

Kept apart from database.py (SQLAlchemy, Alembic) so a front-end can look into the file before
those ~0.3 s of imports: the terminal UI draws its first screen from here (services/first_look).
"""

from __future__ import annotations

import contextlib
import sqlite3
from importlib.resources import files
from pathlib import Path

from invoicer.domain.errors import FileDamaged, InvoicerError

# PRAGMA application_id marks a file as an Invoicer database ("INVC").
APPLICATION_ID = 0x494E5643
_HEADER = b"SQLite format 3\x00"


class DatabaseRefused(InvoicerError):
    """The file is not one Invoicer can open (not ours, or from a newer version)."""


def connect_read_only(path: Path) -> sqlite3.Connection:
    # A file: URI needs an absolute path (`--db shop.sqlite` is relative); as_uri() also
    # escapes what would end the path early in a URI ("?", "#").
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def application_id(path: Path) -> int | None:
    """The file's PRAGMA application_id read from its header, or None if not SQLite at all."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(_HEADER):
        return None
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == 0 and path.with_name(path.name + "-wal").exists():
        # Another connection still writes through the WAL, where the newest header is (a
        # database just created, a batch's worker processes): ask SQLite, read-only.
        with contextlib.closing(connect_read_only(path)) as db:
            app_id = int(db.execute("PRAGMA application_id").fetchone()[0])
    return app_id


def check_ours(path: Path) -> bool:
    """True when the file exists and is an Invoicer database; False when it is new/empty."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    app_id = application_id(path)
    if app_id is None:
        raise DatabaseRefused(f"{path} is not an Invoicer database (it is not a SQLite file).")
    if app_id != APPLICATION_ID:
        raise DatabaseRefused(
            f"{path} is a SQLite database of another application; Invoicer leaves it untouched."
        )
    return True


def is_damage(error: BaseException) -> bool:
    """SQLite's "database disk image is malformed" (SQLITE_CORRUPT) or "file is not a
    database" (SQLITE_NOTADB): the file is damaged, not merely busy or missing a table."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)
    return "malformed" in str(error) or "not a database" in str(error)


def integrity_problems(path: Path, *, full: bool = False) -> list[str]:
    """What SQLite's PRAGMA quick_check (or the slower, index-checking integrity_check, with
    `full`) finds wrong with the file; [] when it is sound. Read-only."""
    pragma = "integrity_check(20)" if full else "quick_check(20)"
    try:
        with contextlib.closing(connect_read_only(path)) as db:
            rows = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return [str(error)]
        raise
    lines = [line for row in rows for line in row.splitlines()]
    problems = [line for line in lines if line != "ok" and not line.startswith("*** in database")]
    return problems


def damaged(path: Path, detail: str, backup_log: Path | None = None) -> FileDamaged:
    """The error to raise for a damaged file: what SQLite said, and the way back."""
    import shlex

    from invoicer.store.backups import newest_good_backup

    first = detail.strip().splitlines()[0] if detail.strip() else "malformed"
    lines = [
        f'{path} is damaged: SQLite reports "{first}". Invoicer has not changed the file.',
    ]
    backup = newest_good_backup(path, backup_log)
    if backup is not None:
        lines += [
            f"The newest good backup is {backup.path} (made {backup.made:%Y-%m-%d %H:%M}).",
            "To put it back (the damaged file is kept beside it, renamed): "
            f"invoicer --db {shlex.quote(str(path))} backup restore "
            f"{shlex.quote(str(backup.path))}",
        ]
    else:
        lines += [
            "Invoicer knows no good backup of it. Keep a copy of the damaged file as it is; "
            f"`sqlite3 {shlex.quote(str(path))} .recover` can save what is still readable "
            "into a new file. Restore a backup you have with `invoicer backup restore FILE`.",
        ]
    return FileDamaged("\n".join(lines))


def newest_migration() -> str:
    """The revision of the newest migration file, without importing Alembic.

    Migration files are named after their revision (`0005_payment_requests.py` holds revision
    "0005"; tests/store keeps that true), so an up-to-date file opens without Alembic's
    ~0.2-0.4 s import: most of the TUI's and GUI's start-up on a quiet path.
    """
    versions = files("invoicer.store") / "migrations" / "versions"
    return max(e.name[:4] for e in versions.iterdir() if e.name[:4].isdigit())


def current_revision(path: Path) -> str | None:
    """The schema revision Alembic stamped into the file (None: not stamped, or unreadable)."""
    connection = connect_read_only(path)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise  # a damaged file is not an unstamped one: never "upgrade" it
        return None
    finally:
        connection.close()
    return str(row[0]) if row else None


def is_current(path: Path) -> bool:
    """An Invoicer database whose schema is the newest this version knows (no migration due)."""
    return check_ours(path) and current_revision(path) == newest_migration()
