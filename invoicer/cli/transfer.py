"""`invoicer import customers|products FILE`, `invoicer export`, `invoicer backup FILE`,
`invoicer backup restore FILE`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from invoicer.cli.common import emit_json, json_option, plain, services


@click.group("import")
def import_() -> None:
    """Import customers or products from CSV (all rows or none)."""


def _import(ctx: click.Context, /, kind: str, file: Path, as_json: bool) -> None:
    from invoicer.services.transfer import import_csv

    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text.") from None
    with services(ctx) as svc:
        count = import_csv(svc, kind, text)
    emit_json({"imported": count, "kind": kind}) if as_json else click.echo(
        f"Imported {count} {kind}."
    )


@import_.command("customers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def customers(ctx: click.Context, /, file: Path, as_json: bool) -> None:
    """Columns: name, street, postcode, city, country, vat_number, email, language, currency,
    payment_terms_days, notes, is_business."""
    _import(ctx, "customers", file, as_json)


@import_.command("products")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def products(ctx: click.Context, /, file: Path, as_json: bool) -> None:
    """Columns: name, description, unit_code, unit_price, currency, rate_class, supply_kind,
    art59_service, sku."""
    _import(ctx, "products", file, as_json)


@click.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def export(ctx: click.Context, /, output: Path | None) -> None:
    """Export everything (shop, customers, products, invoices, payments) as JSON."""
    from invoicer.services.transfer import export_all

    with services(ctx) as svc:
        data = plain(export_all(svc))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"Exported to {output}.")
    else:
        click.echo(text)


class _BackupGroup(click.Group):
    """`invoicer backup FILE` makes a backup (as `backup create FILE`); `backup restore`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


@click.group("backup", cls=_BackupGroup)
def backup() -> None:
    """Back up the database safely, or put a backup back.

    `invoicer backup FILE` is `invoicer backup create FILE`.
    """


@backup.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def create(ctx: click.Context, /, file: Path, as_json: bool) -> None:
    """Copy the database to FILE safely, even while Invoicer is in use elsewhere.

    The file is checked first (SQLite's quick_check): a damaged file is not copied.
    """
    from invoicer.services.transfer import backup as do_backup

    with services(ctx) as svc:
        target = do_backup(svc, file)
    emit_json({"backup": str(target)}) if as_json else click.echo(f"Backed up to {target}.")


@backup.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the database even if it is not damaged.")
@json_option
@click.pass_context
def restore(ctx: click.Context, /, file: Path, force: bool, as_json: bool) -> None:
    """Put the backup FILE in place of the database (--db), e.g. after it was damaged.

    The file it replaces is kept beside it, renamed (.damaged-STAMP). Close Invoicer
    elsewhere first. What was recorded after the backup was made is not in it.
    """
    from dataclasses import asdict as plain_fields

    from invoicer.cli.common import db_path
    from invoicer.services.local import default_db_path
    from invoicer.services.transfer import restore as do_restore

    target = db_path(ctx) or default_db_path()
    done = do_restore(target, file, force=force)
    if as_json:
        emit_json({k: None if v is None else str(v) for k, v in plain_fields(done).items()})
        return
    click.echo(f"Restored {done.database} from {done.backup}.")
    if done.kept_as is not None:
        click.echo(f"The file it replaced is kept as {done.kept_as}.")
    click.echo(
        "Anything recorded after that backup was made is not in it; "
        "run `invoicer audit verify` to check it."
    )
