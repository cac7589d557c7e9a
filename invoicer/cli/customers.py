"""`invoicer customer add|list|show|edit|archive|check-vat`."""

from __future__ import annotations

import click

from invoicer.cli.common import emit_json, json_option, services
from invoicer.cli.records import RecordSpec, record_group

OPTIONS: list[tuple[str, str]] = [
    ("name", "Name (company or person)."),
    ("street", "Street and number."),
    ("postcode", "Postcode."),
    ("city", "City."),
    ("country", "Country code (ISO 3166, e.g. DE)."),
    ("vat_number", "VAT number; EU numbers are checked offline."),
    ("email", "E-mail address."),
    ("peppol_id", "Peppol id SCHEME:VALUE (e.g. 0208:0403019261); default: from the VAT number."),
    ("language", "Invoice language: en, nl, de or fr."),
    ("currency", "Invoice currency (ISO 4217)."),
    ("payment_terms_days", "Payment term in days."),
    ("notes", "Notes."),
]
SPEC = RecordSpec(
    kind="customer",
    service="customers",
    help="Manage customers.",
    add_help="Add a customer.",
    options=OPTIONS,
    flag=click.option(
        "--business/--consumer",
        "is_business",
        default=None,
        help="A business (default when it has a VAT number) or a consumer.",
    ),
    flag_name="is_business",
    search_help="Name, VAT number or e-mail starts with this.",
    columns=lambda c: (c.id[:8], c.name, c.country, c.vat_number, "archived" if c.archived else ""),
    headers=("id", "name", "country", "VAT number", ""),
    archive_help="Archive a customer (kept for the invoices that name it).",
)
customer = record_group(SPEC)


@customer.command("check-vat")
@click.argument("customer_id")
@json_option
@click.pass_context
def check_vat(ctx: click.Context, /, customer_id: str, as_json: bool) -> None:
    """Check the customer's VAT number with VIES and keep the answer as proof."""
    from invoicer.services.vies_checks import check_customer

    with services(ctx) as svc:
        row, result = check_customer(svc, svc.resolve("customer", customer_id))
    if as_json:
        emit_json({"customer": row, "vies": result})
        return
    state = "valid" if result.valid else "NOT valid"
    click.echo(
        f"{row.name}: {row.vat_number} is {state} according to VIES"
        + (f" (consultation {result.request_id})" if result.request_id else "")
        + "."
    )
