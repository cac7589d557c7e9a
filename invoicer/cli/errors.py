"""How the CLI reports failures: a clear message on stderr and a non-zero exit, never a
traceback for something the user can fix."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from invoicer.domain.errors import FileDamaged, InvoicerError, NotFound, ValidationError

# Exit statuses (docs/cli.md lists them): 2 is click's for a usage error.
EXIT_USER_ERROR = 1
EXIT_NOT_FOUND = 3
EXIT_TAMPERED = 4  # `audit verify` found the records changed behind Invoicer's back
EXIT_DAMAGED = 5  # the database file is damaged (SQLite finds it malformed)


def error_payload(error: InvoicerError) -> dict[str, object]:
    """The machine-readable form of an error, for `--json` callers."""
    payload: dict[str, object] = {"error": str(error), "kind": type(error).__name__}
    if isinstance(error, ValidationError):
        payload["problems"] = [
            {"field": p.field, "code": p.code, "message": p.message} for p in error.problems
        ]
    return payload


def report(error: InvoicerError, *, as_json: bool = False) -> int:
    if as_json:
        click.echo(json.dumps(error_payload(error), ensure_ascii=False), err=True)
    else:
        for line in str(error).splitlines() or [type(error).__name__]:
            click.echo(f"Error: {line}", err=True)
    if isinstance(error, FileDamaged):
        return EXIT_DAMAGED
    return EXIT_NOT_FOUND if isinstance(error, NotFound) else EXIT_USER_ERROR


def is_damage(error: BaseException) -> bool:
    """SQLite's "database disk image is malformed" / "file is not a database"."""
    import sqlite3

    original = getattr(error, "orig", error)  # SQLAlchemy wraps the driver's error
    if not isinstance(original, sqlite3.DatabaseError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


def run(command: click.Command, argv: Sequence[str] | None = None) -> int:
    """Run a click command standalone=False and map outcomes to exit statuses."""
    try:
        result = command.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_USER_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except InvoicerError as exc:
        return report(exc, as_json="--json" in (argv if argv is not None else sys.argv[1:]))
    except Exception as exc:
        if not is_damage(exc):
            raise
        # A read the store did not translate: still a plain message, not a traceback.
        damaged = FileDamaged(
            f"The database file is damaged (SQLite: {getattr(exc, 'orig', exc)}). Invoicer has "
            "not changed it; `invoicer audit verify` says where the newest good backup is."
        )
        return report(damaged, as_json="--json" in (argv if argv is not None else sys.argv[1:]))
    return result if isinstance(result, int) else 0
