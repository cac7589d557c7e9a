"""`invoicer product add|list|show|edit|archive`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from invoicer.cli.common import emit_json, fields_from, json_option, services, show_fields, table

OPTIONS: list[tuple[str, str]] = [
    ("name", "Name."),
    ("description", "Description printed under the name."),
    ("unit_code", "Unit (UN/ECE Rec. 20 code: C62 piece, HUR hour, KGM kilogram, ...)."),
    ("unit_price", "Price per unit, excluding VAT."),
    ("currency", "Currency of the price (ISO 4217)."),
    ("rate_class", "standard, reduced, reduced2, super_reduced, parking, zero or exempt."),
    ("supply_kind", "goods, services or electronic_services."),
    ("sku", "Article number."),
]
NAMES = [name for name, _ in OPTIONS] + ["art59_service"]


def product_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, help_text in reversed(OPTIONS):
        func = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(func)
    return click.option(
        "--art59/--no-art59",
        "art59_service",
        default=None,
        help="A service taxed where a non-EU consumer is (Art. 59: consultancy, advertising...).",
    )(func)


@click.group("product")
def product() -> None:
    """Manage products and services."""


@product.command("add")
@product_options
@json_option
@click.pass_context
def add(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """Add a product or service."""
    with services(ctx) as svc:
        row = svc.products.add(**fields_from(options, NAMES))
    emit_json(row) if as_json else click.echo(f"Added product {row.name} ({row.id}).")


@product.command("list")
@click.option("--search", help="Name or SKU starts with this.")
@click.option("--archived", is_flag=True, help="Include archived products.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@json_option
@click.pass_context
def list_(
    ctx: click.Context,
    /,
    search: str | None,
    archived: bool,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List products."""
    with services(ctx) as svc:
        page = svc.products.list(search, archived, offset, limit)
    if as_json:
        emit_json(page)
        return
    table(
        [
            (p.id[:8], p.name, p.unit_price, p.currency, p.unit_code, p.rate_class, p.supply_kind)
            for p in page.items
        ],
        ["id", "name", "price", "cur", "unit", "rate class", "supply"],
    )
    click.echo(f"{len(page.items)} of {page.total}")


@product.command("show")
@click.argument("product_id")
@json_option
@click.pass_context
def show(ctx: click.Context, /, product_id: str, as_json: bool) -> None:
    """Show one product."""
    with services(ctx) as svc:
        row = svc.products.get(svc.resolve("product", product_id))
    emit_json(row) if as_json else show_fields(row)


@product.command("edit")
@click.argument("product_id")
@product_options
@json_option
@click.pass_context
def edit(ctx: click.Context, /, product_id: str, as_json: bool, **options: Any) -> None:
    """Change fields of a product."""
    data = fields_from(options, NAMES)
    if not data:
        raise click.UsageError("Give at least one field to change.")
    with services(ctx) as svc:
        row = svc.products.update(svc.resolve("product", product_id), **data)
    emit_json(row) if as_json else click.echo(f"Updated {row.name}.")


@product.command("archive")
@click.argument("product_id")
@click.pass_context
def archive(ctx: click.Context, /, product_id: str) -> None:
    """Archive a product (kept for the invoices that use it)."""
    with services(ctx) as svc:
        row = svc.products.archive(svc.resolve("product", product_id))
    click.echo(f"Archived {row.name}.")
