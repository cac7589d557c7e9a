"""`invoicer customer add|list|show|edit|archive|check-vat`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from invoicer.cli.common import emit_json, fields_from, json_option, services, show_fields, table

OPTIONS: list[tuple[str, str]] = [
    ("name", "Name (company or person)."),
    ("street", "Street and number."),
    ("postcode", "Postcode."),
    ("city", "City."),
    ("country", "Country code (ISO 3166, e.g. DE)."),
    ("vat_number", "VAT number; EU numbers are checked offline."),
    ("email", "E-mail address."),
    ("language", "Invoice language: en, nl, de or fr."),
    ("currency", "Invoice currency (ISO 4217)."),
    ("payment_terms_days", "Payment term in days."),
    ("notes", "Notes."),
]
NAMES = [name for name, _ in OPTIONS] + ["is_business"]


def customer_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, help_text in reversed(OPTIONS):
        func = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(func)
    return click.option(
        "--business/--consumer",
        "is_business",
        default=None,
        help="A business (default when it has a VAT number) or a consumer.",
    )(func)


@click.group("customer")
def customer() -> None:
    """Manage customers."""


@customer.command("add")
@customer_options
@json_option
@click.pass_context
def add(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """Add a customer."""
    with services(ctx) as svc:
        row = svc.customers.add(**fields_from(options, NAMES))
    emit_json(row) if as_json else click.echo(f"Added customer {row.name} ({row.id}).")


@customer.command("list")
@click.option("--search", help="Name, VAT number or e-mail starts with this.")
@click.option("--archived", is_flag=True, help="Include archived customers.")
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
    """List customers."""
    with services(ctx) as svc:
        page = svc.customers.list(search, archived, offset, limit)
    if as_json:
        emit_json(page)
        return
    table(
        [
            (c.id[:8], c.name, c.country, c.vat_number, "archived" if c.archived else "")
            for c in page.items
        ],
        ["id", "name", "country", "VAT number", ""],
    )
    click.echo(f"{len(page.items)} of {page.total}")


@customer.command("show")
@click.argument("customer_id")
@json_option
@click.pass_context
def show(ctx: click.Context, /, customer_id: str, as_json: bool) -> None:
    """Show one customer."""
    with services(ctx) as svc:
        row = svc.customers.get(_resolve(svc, customer_id))
    emit_json(row) if as_json else show_fields(row)


@customer.command("edit")
@click.argument("customer_id")
@customer_options
@json_option
@click.pass_context
def edit(ctx: click.Context, /, customer_id: str, as_json: bool, **options: Any) -> None:
    """Change fields of a customer."""
    data = fields_from(options, NAMES)
    if not data:
        raise click.UsageError("Give at least one field to change.")
    with services(ctx) as svc:
        row = svc.customers.update(_resolve(svc, customer_id), **data)
    emit_json(row) if as_json else click.echo(f"Updated {row.name}.")


@customer.command("archive")
@click.argument("customer_id")
@click.pass_context
def archive(ctx: click.Context, /, customer_id: str) -> None:
    """Archive a customer (kept for the invoices that name it)."""
    with services(ctx) as svc:
        row = svc.customers.archive(_resolve(svc, customer_id))
    click.echo(f"Archived {row.name}.")


@customer.command("check-vat")
@click.argument("customer_id")
@json_option
@click.pass_context
def check_vat(ctx: click.Context, /, customer_id: str, as_json: bool) -> None:
    """Check the customer's VAT number with VIES and keep the answer as proof."""
    from invoicer.services.vies_checks import check_customer

    with services(ctx) as svc:
        row, result = check_customer(svc, _resolve(svc, customer_id))
    if as_json:
        emit_json({"customer": row, "vies": result})
        return
    state = "valid" if result.valid else "NOT valid"
    click.echo(
        f"{row.name}: {row.vat_number} is {state} according to VIES"
        + (f" (consultation {result.request_id})" if result.request_id else "")
        + "."
    )


def _resolve(svc: Any, prefix: str) -> str:
    return str(svc.resolve("customer", prefix))
