"""Is this file an up-to-date Invoicer database? Answered with the standard library alone.

Kept apart from database.py (SQLAlchemy, Alembic) so a front-end can look into the file before
those ~0.3 s of imports: the terminal UI draws its first screen from here (services/first_look).
"""

from __future__ import annotations

import contextlib
import sqlite3
from importlib.resources import files
from pathlib import Path

from invoicer.domain.errors import InvoicerError

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
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    return str(row[0]) if row else None


def is_current(path: Path) -> bool:
    """An Invoicer database whose schema is the newest this version knows (no migration due)."""
    return check_ours(path) and current_revision(path) == newest_migration()
