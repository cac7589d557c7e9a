"""How the CLI reports failures: a clear message on stderr and a non-zero exit, never a
traceback for something the user can fix."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from invoicer.domain.errors import InvoicerError, NotFound, ValidationError

EXIT_USER_ERROR = 1
EXIT_NOT_FOUND = 3


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
    except InvoicerError as exc:
        return report(exc, as_json="--json" in (argv if argv is not None else sys.argv[1:]))
    return result if isinstance(result, int) else 0
