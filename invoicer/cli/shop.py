"""`invoicer init` and `invoicer shop show|set`: the merchant's own profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from invoicer.cli.common import emit_json, fields_from, json_option, services, show_fields

SHOP_OPTIONS: list[tuple[str, str]] = [
    ("legal_name", "Legal name of the business."),
    ("trading_name", "Trading name, if different."),
    ("street", "Street and number."),
    ("postcode", "Postcode."),
    ("city", "City."),
    ("country", "Country code (ISO 3166, e.g. NL)."),
    ("vat_number", "VAT number (e.g. NL123456789B01)."),
    ("registration_number", "Chamber of commerce / registration number."),
    ("email", "E-mail address."),
    ("peppol_id", "Peppol id SCHEME:VALUE (e.g. 0106:12345678); default: from the VAT number."),
    ("phone", "Phone number."),
    ("website", "Website."),
    ("iban", "IBAN for bank transfers."),
    ("bic", "BIC of the bank."),
    ("currency", "Default currency (ISO 4217)."),
    ("language", "Default invoice language: en, nl, de or fr."),
    ("payment_terms_days", "Default payment term in days."),
    ("vat_status", "registered, oss or small_business."),
    ("invoice_number_format", "Invoice numbers, default INV-{year}-{seq:06d}."),
    ("credit_note_number_format", "Credit-note numbers, default CN-{year}-{seq:06d}."),
    ("eu_b2c_sales_outside_current_year", "EU B2C distance sales outside Invoicer, this year."),
    ("eu_b2c_sales_outside_previous_year", "The same for last year (EUR)."),
    ("logo_path", "A PNG, JPEG or SVG logo for the PDFs."),
]
NAMES = [name for name, _ in SHOP_OPTIONS] + ["oss_opt_in"]
REQUIRED = ("legal_name", "street", "postcode", "city", "country")


def shop_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, help_text in reversed(SHOP_OPTIONS):
        func = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(func)
    return click.option(
        "--oss-opt-in/--no-oss-opt-in",
        "oss_opt_in",
        default=None,
        help="Opted for destination VAT below the EUR 10,000 threshold.",
    )(func)


@click.command("init")
@shop_options
@json_option
@click.pass_context
def init(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """Create the database and the shop profile (asks for what the flags leave out)."""
    data = fields_from(options, NAMES)
    interactive = ctx.find_root().params.get("no_input") is not True and _tty()
    for name in REQUIRED:
        if name not in data and interactive:
            data[name] = click.prompt(name.replace("_", " ").capitalize())
    if "vat_number" not in data and data.get("vat_status") != "small_business" and interactive:
        data["vat_number"] = click.prompt("VAT number", default="", show_default=False) or None
    from invoicer.services.commands import ShopProfileChanges

    with services(ctx, create=True) as svc:
        if svc.shop.is_set_up():
            raise click.ClickException(
                f"{svc.path} already has a shop profile; change it with `invoicer shop set`."
            )
        profile = svc.shop.save(ShopProfileChanges(**data))
        if as_json:
            emit_json({"database": str(svc.path), "shop": profile})
        else:
            click.echo(f"Created {svc.path} for {profile.legal_name}.")


def _tty() -> bool:
    import sys

    return sys.stdin.isatty()


@click.group("shop")
def shop() -> None:
    """Show or change the shop profile."""


@shop.command("show")
@json_option
@click.pass_context
def show(ctx: click.Context, /, as_json: bool) -> None:
    """Show the shop profile."""
    with services(ctx) as svc:
        profile = svc.shop.get()
    if profile is None:
        raise click.ClickException("No shop profile yet: run `invoicer init`.")
    if as_json:
        emit_json(profile)
    else:
        show_fields(profile)


@shop.command("set")
@shop_options
@json_option
@click.pass_context
def set_(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """Change fields of the shop profile."""
    data = fields_from(options, NAMES)
    if not data:
        raise click.UsageError("Give at least one field to change, e.g. --iban.")
    from invoicer.services.commands import ShopProfileChanges

    with services(ctx) as svc:
        if not svc.shop.is_set_up():
            raise click.ClickException("No shop profile yet: run `invoicer init`.")
        profile = svc.shop.save(ShopProfileChanges(**data))
    if as_json:
        emit_json(profile)
    else:
        click.echo("Shop profile updated.")
