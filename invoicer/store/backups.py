"""Which backups of a database file exist, and putting one back. Standard library only.

Invoicer knows two kinds of backup: the copies `invoicer backup FILE` made (each written to a
log, one JSON line per backup, in the user's data dir: the caller passes the log's path) and
the `<name>.before-upgrade-<stamp>.bak` copies taken beside the file before an upgrade. A
backup counts only while it exists, is an Invoicer database and passes SQLite's quick_check.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.store.file_checks import DatabaseRefused, check_ours, integrity_problems


@dataclass(frozen=True, slots=True)
class KnownBackup:
    path: Path
    made: dt.datetime  # local time


def record_backup(log: Path, source: Path, target: Path) -> None:
    """Note in the log that `target` is a good backup of `source`, made now."""
    entry = {
        "database": str(source.expanduser().resolve()),
        "backup": str(target.expanduser().resolve()),
        "made": dt.datetime.now().isoformat(timespec="microseconds"),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def known_backups(source: Path, log: Path | None) -> list[KnownBackup]:
    """Backups of `source` that still exist, newest first (not yet checked)."""
    source = source.expanduser().resolve()
    found: dict[Path, dt.datetime] = {}  # in the log's order: the later line wins a tie
    if log is not None and log.is_file():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
                if entry["database"] != str(source):
                    continue
                backup = Path(entry["backup"])
                found.pop(backup, None)
                found[backup] = dt.datetime.fromisoformat(entry["made"])
            except (ValueError, KeyError, TypeError):
                continue  # a damaged log line is no reason to fail
    for sibling in source.parent.glob(f"{source.name}.before-upgrade-*.bak"):
        found.setdefault(sibling, dt.datetime.fromtimestamp(sibling.stat().st_mtime))
    existing = [
        (made, order, KnownBackup(path, made))
        for order, (path, made) in enumerate(found.items())
        if path.is_file()
    ]
    return [backup for _, _, backup in sorted(existing, key=lambda e: e[:2], reverse=True)]


def is_good_copy(path: Path) -> bool:
    try:
        return check_ours(path) and not integrity_problems(path)
    except (OSError, sqlite3.Error, DatabaseRefused):
        return False


def newest_good_backup(source: Path, log: Path | None) -> KnownBackup | None:
    for backup in known_backups(source, log):
        if backup.path.resolve() != source.expanduser().resolve() and is_good_copy(backup.path):
            return backup
    return None


SIDE_FILES = ("-wal", "-shm", "-journal")


def restore_backup(target: Path, source: Path, *, force: bool = False) -> Path | None:
    """Put the backup `source` in place of the database file `target`.

    The file it replaces is never deleted: it is renamed to `<name>.damaged-<stamp>` (or
    `.replaced-<stamp>` when it was sound, which needs `force`), with its -wal beside it.
    Returns that new name (None when there was no file). Close Invoicer elsewhere first.
    """
    from invoicer.store.database import backup_file

    target, source = target.expanduser(), source.expanduser()
    if not source.is_file():
        raise ValidationError.single("backup", "missing", f"There is no file {source}.")
    if source.resolve() == target.resolve():
        raise ValidationError.single(
            "backup", "same_file", f"{source} is the database itself, not a backup of it."
        )
    if not check_ours(source):
        raise ValidationError.single("backup", "empty", f"{source} is empty, not a backup.")
    problems = integrity_problems(source)
    if problems:
        raise Conflict(
            f'{source} is damaged too (SQLite reports "{problems[0]}"); it was not restored. '
            "Try an older backup."
        )
    kept: Path | None = None
    if target.exists():
        sound = not _target_problems(target)
        if sound and not force:
            raise Conflict(
                f"{target} is not damaged (SQLite's check finds nothing wrong). Restoring would "
                "replace it with the older copy and lose what was recorded since; add --force "
                "to do it anyway (the current file is kept, renamed)."
            )
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = target.with_name(f"{target.name}.{'replaced' if sound else 'damaged'}-{stamp}")
        for suffix in SIDE_FILES:
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(target, kept)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    backup_file(source, target)
    return kept


def _target_problems(path: Path) -> list[str]:
    try:
        if not check_ours(path):
            return ["empty file"]
    except DatabaseRefused as error:
        return [str(error)]
    return integrity_problems(path)
