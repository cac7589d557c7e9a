"""`invoicer vat`: the VAT engine from the command line."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click


@click.group()
def vat() -> None:
    """Decide VAT and check VAT numbers."""


@vat.command("quote")
@click.argument("document", type=click.File("r", encoding="utf-8"), default="-")
def quote_command(document: TextIO) -> None:
    """Quote VAT for the invoice described by DOCUMENT (a JSON file; default: stdin).

    Prints, as JSON, each line's net amount, VAT category and rate, the VAT breakdown per
    group with the exemption wording in the requested language, and the totals. The input
    and output are described in docs/vat-quote.md.
    """
    from invoicer.services.vat_quotes import quote_document

    result = quote_document(document.read())
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


@vat.command("check")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def check_command(ctx: click.Context, /, number: str, as_json: bool) -> None:
    """Check NUMBER offline (format, check digit), then with VIES."""
    from invoicer.cli.common import db_path, emit_json
    from invoicer.services.vies_checks import check_number

    path = db_path(ctx)
    if path is not None and path.exists():
        from invoicer.services.app import open_services

        with open_services(path) as svc:
            result = check_number(number, svc)
    else:  # no database yet: the settings as they are
        from invoicer.services.settings import SettingsService

        result = check_number(number, settings=SettingsService().get())
    if as_json:
        emit_json(result)
        return
    state = "VALID" if result.valid else "NOT VALID"
    click.echo(f"{result.country_code}{result.vat_number}: {state} according to VIES")
    for label, value in (
        ("Name", result.name),
        ("Address", result.address),
        ("Consultation number", result.request_id),
        ("Date", result.request_date),
    ):
        if value:
            click.echo(f"  {label}: {value}")
