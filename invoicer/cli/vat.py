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
