"""`invoicer import customers|products FILE`, `invoicer export`, `invoicer backup FILE`."""

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


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def backup(ctx: click.Context, /, file: Path, as_json: bool) -> None:
    """Copy the database to FILE safely, even while Invoicer is in use elsewhere."""
    from invoicer.services.transfer import backup as do_backup

    with services(ctx) as svc:
        target = do_backup(svc, file)
    emit_json({"backup": str(target)}) if as_json else click.echo(f"Backed up to {target}.")
