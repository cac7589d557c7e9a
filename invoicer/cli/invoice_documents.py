"""`invoicer invoice pdf|export` and `invoicer einvoice show`: the documents of invoices."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from invoicer.cli.common import emit_json, json_option, parse_day, services


@click.command("pdf")
@click.argument("invoice_id", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (one invoice) or folder (--all).",
)
@click.option("--all", "all_", is_flag=True, help="Render every issued document (filters below).")
@click.option("--from", "date_from", help="With --all: issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="With --all: issued on or before (YYYY-MM-DD).")
@click.option("--jobs", type=int, help="With --all: processes to use (default: all cores).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.pass_context
def pdf(
    ctx: click.Context,
    /,
    invoice_id: str | None,
    output: Path | None,
    all_: bool,
    date_from: str | None,
    date_to: str | None,
    jobs: int | None,
    force: bool,
) -> None:
    """Render the PDF of INVOICE_ID (number or id), or of many with --all.

    An issued invoice's PDF is always the same file, the one first issued (its SHA-256 is
    recorded on the invoice); what was paid since is on `invoice statement`."""
    from invoicer.services.documents import (
        check_batch_output,
        check_output,
        pdf_filename,
        render_batch,
        render_pdf,
        write_output,
    )

    if bool(invoice_id) == all_:
        raise click.UsageError("Give one INVOICE_ID, or --all.")
    with services(ctx) as svc:
        if invoice_id:
            doc = svc.invoices.get(svc.resolve("invoice", invoice_id))
            target = output or Path(pdf_filename(doc.number or doc.id))
            check_output(target, force=force)
            result = render_pdf(svc, doc.id)
            write_output(target, result.pdf)
            click.echo(f"Wrote {target}.")
            _warn_missing(result.missing_characters)
            if not result.matches_issued:
                _warn_differs(1)
            return
        ids = _issued_ids(svc, parse_day(date_from, "--from"), parse_day(date_to, "--to"))
        folder = output or Path("invoices-pdf")
        check_batch_output(svc, ids, folder, force)
        bar: Any = click.progressbar(length=len(ids), label="Rendering", file=sys.stderr)
        with bar:
            report = render_batch(svc, ids, folder, jobs=jobs, progress=bar.update)
    click.echo(f"Wrote {len(ids)} PDFs to {folder}.")
    for chars in report.missing.values():
        _warn_missing(chars)
    if report.differing:
        _warn_differs(len(report.differing))


def _warn_differs(count: int) -> None:
    which = "this PDF differs" if count == 1 else f"{count} of these PDFs differ"
    click.echo(
        f"Warning: {which} from the file first issued (its SHA-256, recorded on the invoice, "
        "is another): it was made by an earlier version of Invoicer whose PDF layout was "
        "different. The content is the same issued invoice; the file the buyer received "
        "is the original.",
        err=True,
    )


@click.command("statement")
@click.argument("invoice_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "as_of", help="The statement date (YYYY-MM-DD; default today).")
@click.pass_context
def statement(
    ctx: click.Context, /, invoice_id: str, output: Path | None, as_of: str | None
) -> None:
    """Render a payment statement of INVOICE_ID: paid, credited, due, and how to pay.

    The issued invoice never changes; this separate PDF says where it stands today."""
    from invoicer.services.documents import pdf_filename, render_statement

    with services(ctx) as svc:
        full_id = svc.resolve("invoice", invoice_id)
        result = render_statement(svc, full_id, parse_day(as_of, "--date"))
        number = svc.invoices.get(full_id).number or full_id
    target = output or Path(pdf_filename(f"{number}-statement"))
    target.write_bytes(result.pdf)
    click.echo(f"Wrote {target}.")
    _warn_missing(result.missing_characters)


def _issued_ids(svc: Any, start: dt.date | None, end: dt.date | None) -> list[str]:
    ids: list[str] = []
    offset = 0
    while True:
        page = svc.invoices.list(
            date_from=start,
            date_to=end,
            offset=offset,
            limit=500,
            order="date_asc",
        )
        ids += [item.id for item in page.items if item.number]
        offset += len(page.items)
        if not page.items:
            return ids


def _warn_missing(chars: tuple[str, ...]) -> None:
    if chars:
        click.echo(
            "Warning: no bundled font can draw " + " ".join(chars) + "; printed as '?'.", err=True
        )


@click.command("export")
@click.argument("invoice_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ubl", "ubl-en16931", "cii", "facturx"]),
    default="ubl",
    show_default=True,
    help="UBL 2.1 for Peppol BIS 3.0 (both parties need a Peppol id), plain EN 16931 UBL, "
    "CII, or Factur-X PDF.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: NUMBER-ubl.xml, NUMBER-cii.xml or NUMBER-facturx.pdf).",
)
@click.option("--force", is_flag=True, help="Overwrite the file if it already exists.")
@click.pass_context
def export(
    ctx: click.Context, /, invoice_id: str, fmt: str, output: Path | None, force: bool
) -> None:
    """Export INVOICE_ID as an EN 16931 e-invoice."""
    from invoicer.services.documents import check_output, export_filename, write_output
    from invoicer.services.documents import export as make

    with services(ctx) as svc:
        full_id = svc.resolve("invoice", invoice_id)
        number = svc.invoices.get(full_id).number or full_id
        target = output or Path(export_filename(number, fmt))
        check_output(target, force=force)
        data = make(svc, full_id, fmt)
    write_output(target, data)
    click.echo(f"Wrote {target}.")


@click.group("einvoice")
def einvoice() -> None:
    """Read e-invoices you received."""


@einvoice.command("show")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def show(file: Path, as_json: bool) -> None:
    """Show a UBL or CII invoice (XML, or a Factur-X PDF) and check that its totals add up."""
    from invoicer.documents.reader import read_einvoice_file

    invoice = read_einvoice_file(file.read_bytes())
    if as_json:
        emit_json(invoice)
    else:
        click.echo(f"{invoice.syntax} {invoice.kind} {invoice.number} of {invoice.issue_date}")
        click.echo(
            f"From {invoice.seller} ({invoice.seller_vat or '-'}) to {invoice.buyer} "
            f"({invoice.buyer_vat or '-'})"
        )
        for line in invoice.lines:
            click.echo(
                f"  {line.quantity:>8}  {line.description[:50]:<50} {line.net:>12} "
                f"{line.category} {line.rate if line.rate is not None else ''}"
            )
        for category, rate, base, tax in invoice.vat_breakdown:
            click.echo(f"  VAT {category} {rate if rate is not None else '-'}: {base} -> {tax}")
        click.echo(
            f"Net {invoice.net_total}  VAT {invoice.vat_total}  Total {invoice.gross_total}"
            f"  Payable {invoice.payable} {invoice.currency}"
        )
        click.echo("Totals reconcile." if invoice.reconciles else "Totals do NOT reconcile:")
        for problem in invoice.problems:
            click.echo(f"  {problem}")
    if not invoice.reconciles:
        raise SystemExit(2)
