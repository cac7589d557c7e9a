"""How the CLI reports failures: a clear message on stderr and a non-zero exit, never a
traceback for something the user can fix."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from invoicer.domain.errors import FileDamaged, InvoicerError, NotFound
from invoicer.services.errors import error_lines, error_payload, translate

# Exit statuses (docs/cli.md lists them): 2 is click's for a usage error.
EXIT_USER_ERROR = 1
EXIT_NOT_FOUND = 3
EXIT_TAMPERED = 4  # `audit verify` found the records changed behind Invoicer's back
EXIT_DAMAGED = 5  # the database file is damaged (SQLite finds it malformed)


def report(error: BaseException, *, as_json: bool = False) -> int:
    """Print `error` as the one payload (`--json`) or as its sentences; its exit status."""
    error = translate(error)
    if as_json:
        click.echo(json.dumps(error_payload(error), ensure_ascii=False), err=True)
    else:
        for line in error_lines(error):
            click.echo(f"Error: {line}", err=True)
    if isinstance(error, FileDamaged):
        return EXIT_DAMAGED
    return EXIT_NOT_FOUND if isinstance(error, NotFound) else EXIT_USER_ERROR


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
    except Exception as exc:
        known = translate(exc)
        if not isinstance(known, InvoicerError):
            raise  # a bug: its traceback is what gets it fixed
        return report(known, as_json="--json" in (argv if argv is not None else sys.argv[1:]))
    return result if isinstance(result, int) else 0
