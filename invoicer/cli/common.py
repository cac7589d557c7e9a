"""What every command shares: opening the services, printing tables or JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import PAYMENT_METHOD_CODES, parse_date, parse_payment_method

if TYPE_CHECKING:
    from invoicer.services.app import Services

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
id_only_option = click.option(
    "--id-only",
    is_flag=True,
    help="Print only the new id, for scripts: id=$(invoicer ... --id-only).",
)


def db_path(ctx: click.Context) -> Path | None:
    root = ctx.find_root()
    path = (root.obj or {}).get("db_path")
    return Path(path) if path else None


@contextmanager
def services(ctx: click.Context, *, create: bool = False) -> Iterator[Services]:
    """The services of the --db database. Only `create=True` (init, demo) makes a new file,
    and removes it again if the command then fails, so a refused init leaves no file."""
    from invoicer.services.app import open_services
    from invoicer.services.local import default_db_path

    path = db_path(ctx) or default_db_path()
    new = create and not path.expanduser().exists()
    try:
        with open_services(
            path, on_upgrade=lambda note: click.echo(note, err=True), create=create
        ) as svc:
            yield svc
    except BaseException:
        if new:
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.expanduser().with_name(path.name + suffix).unlink(missing_ok=True)
        raise


def plain(value: Any) -> Any:
    """Views -> JSON-ready values: Decimal as strings, dates in ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """A plain aligned text table; numbers right-aligned."""
    text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in text_rows)]) for i, h in enumerate(headers)]
    numeric = [
        all(isinstance(row[i], int | Decimal) for row in rows if row[i] is not None) and bool(rows)
        for i in range(len(headers))
    ]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    click.echo(fmt(headers))
    click.echo("  ".join("-" * w for w in widths))
    for row in text_rows:
        click.echo(fmt(row))


def fields_from(options: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Only the options the user actually gave (None = not given)."""
    return {name: options[name] for name in names if options.get(name) is not None}


def show_fields(obj: Any, names: Sequence[str] | None = None) -> None:
    values = plain(obj)
    keys = names or list(values)
    width = max(len(k) for k in keys)
    for key in keys:
        value = values.get(key)
        if value is None or value == "" or isinstance(value, dict | list):
            continue
        click.echo(f"{key.replace('_', ' '):<{width}}  {value}")


def parse_day(value: str | None, option: str) -> dt.date | None:
    """A --from/--to style date option (the one date parser, any year: it only filters), or
    a usage error naming the option in the parser's words."""
    if not value:
        return None
    try:
        return parse_date(value, field=option.lstrip("-"), bounded=False)
    except ValidationError as exc:
        raise click.BadParameter(exc.problems[0].message, param_hint=option) from None


class PaymentMethod(click.Choice[str]):
    """`--method`: the payment methods' codes in --help, read by the one parser (a label such
    as "Bank transfer" is its code); a usage error in the parser's words otherwise."""

    def __init__(self) -> None:
        super().__init__(PAYMENT_METHOD_CODES)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return parse_payment_method(value)
        except ValidationError as exc:
            self.fail(exc.problems[0].message, param, ctx)
