"""`invoicer invoice new|add-line|remove-line|list|show|preview|issue|delete`."""

from __future__ import annotations

from typing import Any

import click

from invoicer.cli.common import (
    emit_json,
    fields_from,
    id_only_option,
    json_option,
    parse_day,
    services,
    table,
)
from invoicer.services import views

DRAFT = [
    "currency",
    "language",
    "issue_date",
    "supply_date",
    "period_start",
    "period_end",
    "due_days",
    "buyer_reference",
    "notes",
    "exchange_rate",
]


def draft_options(func: Any) -> Any:
    for name in reversed(DRAFT):
        func = click.option(
            f"--{name.replace('_', '-')}", name, help=f"{name.replace('_', ' ').capitalize()}."
        )(func)
    return func


@click.group("invoice")
def invoice() -> None:
    """Create, issue and inspect invoices."""


def _attach_document_commands() -> None:
    from invoicer.cli.invoice_documents import export, pdf, statement
    from invoicer.cli.mail import send

    invoice.add_command(send)
    invoice.add_command(pdf)
    invoice.add_command(statement)
    invoice.add_command(export)


@invoice.command("new")
@click.argument("customer_id")
@draft_options
@json_option
@id_only_option
@click.pass_context
def new(
    ctx: click.Context, /, customer_id: str, as_json: bool, id_only: bool, **options: Any
) -> None:
    """Start a draft invoice for CUSTOMER_ID."""
    from invoicer.services.commands import NewDraft

    with services(ctx) as svc:
        customer = svc.resolve("customer", customer_id)
        draft = svc.invoices.create_draft(
            NewDraft(customer_id=customer, **fields_from(options, DRAFT))
        )
    if id_only:
        click.echo(draft.id)
    else:
        emit_json(draft) if as_json else click.echo(f"Draft {draft.id} for {draft.customer_name}.")


@invoice.command("edit")
@click.argument("invoice_id")
@draft_options
@json_option
@click.pass_context
def edit(ctx: click.Context, /, invoice_id: str, as_json: bool, **options: Any) -> None:
    """Change a draft's dates, currency, references or notes."""
    from invoicer.services.commands import DraftChanges

    with services(ctx) as svc:
        draft = svc.invoices.update_draft(
            svc.resolve("invoice", invoice_id), DraftChanges(**fields_from(options, DRAFT))
        )
    emit_json(draft) if as_json else click.echo("Draft updated.")


@invoice.command("add-line")
@click.argument("invoice_id")
@click.option("--product", "product_id", help="Take description, price and VAT class from it.")
@click.option("--description")
@click.option("--quantity", default="1", show_default=True)
@click.option("--unit-price", "unit_price", help="Price per unit excluding VAT.")
@click.option("--unit-code", "unit_code", help="UN/ECE Rec. 20 unit code.")
@click.option("--rate-class", "rate_class")
@click.option("--supply-kind", "supply_kind")
@json_option
@click.pass_context
def add_line(ctx: click.Context, /, invoice_id: str, as_json: bool, **options: Any) -> None:
    """Add a line to a draft (from a product or free text)."""
    from invoicer.services.commands import NewLine

    with services(ctx) as svc:
        data = fields_from(options, list(options))
        if "product_id" in data:
            data["product_id"] = svc.resolve("product", data["product_id"])
        draft = svc.invoices.add_line(svc.resolve("invoice", invoice_id), NewLine(**data))
    if as_json:
        emit_json(draft)
    else:
        click.echo(f"Line {draft.lines[-1].id} added; {len(draft.lines)} line(s).")


@invoice.command("remove-line")
@click.argument("invoice_id")
@click.argument("line_id")
@click.pass_context
def remove_line(ctx: click.Context, /, invoice_id: str, line_id: str) -> None:
    """Remove a line from a draft."""
    with services(ctx) as svc:
        svc.invoices.remove_line(svc.resolve("invoice", invoice_id), line_id)
    click.echo("Line removed.")


@invoice.command("list")
@click.option(
    "--status",
    help="draft, open, partially_paid, paid, overdue or credited; issued: every issued "
    "invoice and credit note (all but drafts).",
)
@click.option("--customer", "customer_id")
@click.option("--from", "date_from", help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Issued on or before (YYYY-MM-DD).")
@click.option("--search", help="Invoice number or customer name starts with this.")
@click.option("--kind", type=click.Choice(["invoice", "credit_note"]))
@click.option("--limit", default=50, show_default=True, help="Rows to show (1 to 1,000).")
@click.option("--offset", default=0, help="Rows to skip first (0 to 1,000,000,000).")
@json_option
@click.pass_context
def list_(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """List invoices and credit notes, newest first."""
    for key in ("date_from", "date_to"):
        options[key] = parse_day(options[key], f"--{key[5:]}")
    with services(ctx) as svc:
        if options["customer_id"]:
            options["customer_id"] = svc.resolve("customer", options["customer_id"])
        page = svc.invoices.list(**options)
    if as_json:
        emit_json(page)
        return
    table(
        [
            (
                i.number or f"(draft {i.id[:8]})",
                i.issue_date,
                i.customer_name,
                i.status,
                i.gross,
                i.balance,
                i.currency,
            )
            for i in page.items
        ],
        ["number", "date", "customer", "status", "total", "balance", "cur"],
    )
    click.echo(f"{len(page.items)} of {page.total}")


@invoice.command("show")
@click.argument("invoice_id")
@json_option
@click.pass_context
def show(ctx: click.Context, /, invoice_id: str, as_json: bool) -> None:
    """Show an invoice (by number or id) with its lines, VAT breakdown, balance and the
    e-mails sent of it."""
    from invoicer.cli.common import plain
    from invoicer.cli.mail import echo_history

    with services(ctx) as svc:
        doc = svc.invoices.get(svc.resolve("invoice", invoice_id))
        mail = svc.mail.history(doc.id)
    if as_json:
        emit_json({**plain(doc), "mail": plain(mail)})
        return
    print_invoice(doc)
    echo_history(mail)


@invoice.command("preview")
@click.argument("invoice_id")
@json_option
@click.pass_context
def preview(ctx: click.Context, /, invoice_id: str, as_json: bool) -> None:
    """Show a draft with the VAT the engine would decide now."""
    with services(ctx) as svc:
        doc = svc.invoices.preview(svc.resolve("invoice", invoice_id))
    emit_json(doc) if as_json else print_invoice(doc)


@invoice.command("issue")
@click.argument("invoice_id")
@click.option(
    "--warn-unverified",
    is_flag=True,
    help="Issue even if the buyer's VAT number has no recent VIES check.",
)
@json_option
@click.pass_context
def issue(ctx: click.Context, /, invoice_id: str, warn_unverified: bool, as_json: bool) -> None:
    """Issue a draft: give it the next number and freeze it."""
    with services(ctx) as svc:
        doc = svc.invoices.issue(
            svc.resolve("invoice", invoice_id), vies_policy="warn" if warn_unverified else None
        )
    if as_json:
        emit_json(doc)
    else:
        from invoicer.services.labels import issued

        click.echo(issued(doc.number, doc.gross, doc.currency, doc.due_date))
        for warning in doc.warnings:
            click.echo(f"Warning: {warning}", err=True)


@invoice.command("delete")
@click.argument("invoice_id")
@click.pass_context
def delete(ctx: click.Context, /, invoice_id: str) -> None:
    """Delete a draft (issued invoices are never deleted)."""
    with services(ctx) as svc:
        svc.invoices.delete_draft(svc.resolve("invoice", invoice_id))
    click.echo("Draft deleted.")


def print_invoice(doc: views.Invoice) -> None:
    title = "Credit note" if doc.kind == "credit_note" else "Invoice"
    click.echo(f"{title} {doc.number or '(draft)'}  [{doc.status}]")
    click.echo(
        f"Customer: {doc.customer_name}   Date: {doc.issue_date or '-'}   "
        f"Due: {doc.due_date or '-'}   Currency: {doc.currency}"
    )
    if doc.credited_invoice_number:
        click.echo(f"Credits invoice {doc.credited_invoice_number} of {doc.credited_invoice_date}")
    click.echo("")
    table(
        [
            (
                line.description,
                line.quantity,
                line.unit_price,
                line.net,
                line.category or "",
                "" if line.rate is None else f"{line.rate}%",
            )
            for line in doc.lines
        ],
        ["description", "qty", "price", "net", "cat", "rate"],
    )
    if doc.vat_groups:
        click.echo("")
        table(
            [
                (g.category, f"{g.rate}%", g.taxable, g.tax, g.exemption_text or "")
                for g in doc.vat_groups
            ],
            ["VAT", "rate", "taxable", "tax", ""],
        )
    click.echo("")
    click.echo(f"Net {doc.net}   VAT {doc.vat}   Total {doc.gross} {doc.currency}")
    if doc.kind == "invoice" and doc.number:
        click.echo(f"Paid {doc.paid}   Balance {doc.balance} {doc.currency}")
    notices = doc.notices()
    if notices:
        click.echo("")
        for notice in notices:
            click.echo(notice)


_attach_document_commands()
