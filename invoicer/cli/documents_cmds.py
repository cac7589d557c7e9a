"""`invoicer credit-note create`, `invoicer payment add|list`, `invoicer audit verify`."""

from __future__ import annotations

from typing import Any

import click

from invoicer.cli.common import emit_json, json_option, services, table


@click.group("credit-note")
def credit_note() -> None:
    """Credit (part of) an issued invoice."""


@credit_note.command("create")
@click.argument("invoice_id")
@click.option(
    "--line",
    "lines",
    multiple=True,
    metavar="LINE_ID=QTY",
    help="Credit this quantity of a line (repeat); default: everything left.",
)
@click.option("--reason", help="Why, printed on the credit note.")
@json_option
@click.pass_context
def create(
    ctx: click.Context,
    /,
    invoice_id: str,
    lines: tuple[str, ...],
    reason: str | None,
    as_json: bool,
) -> None:
    """Issue a credit note for INVOICE_ID (full, or the chosen lines and quantities)."""
    chosen: dict[str, str] | None = None
    if lines:
        chosen = {}
        for item in lines:
            line_id, sep, qty = item.partition("=")
            if not sep or not line_id or not qty:
                raise click.BadParameter(f"{item!r}: use LINE_ID=QTY", param_hint="--line")
            chosen[line_id.strip()] = qty.strip()
    with services(ctx) as svc:
        note = svc.credit_notes.create(svc.resolve("invoice", invoice_id), chosen, reason)
    if as_json:
        emit_json(note)
    else:
        click.echo(
            f"Issued credit note {note.number} for {note.credited_invoice_number}: "
            f"{note.gross} {note.currency}."
        )


@click.group("payment")
def payment() -> None:
    """Record payments received."""


@payment.command("add")
@click.argument("invoice_id")
@click.argument("amount")
@click.option("--date", help="Date received (YYYY-MM-DD); default today.")
@click.option(
    "--method",
    default="bank_transfer",
    show_default=True,
    type=click.Choice(["bank_transfer", "card", "crypto", "cash", "other"]),
)
@click.option("--reference", help="Bank reference, receipt number, ...")
@click.option("--overpayment", is_flag=True, help="Accept more than the balance.")
@json_option
@click.pass_context
def add(ctx: click.Context, /, invoice_id: str, amount: str, as_json: bool, **options: Any) -> None:
    """Record AMOUNT received for INVOICE_ID (number or id)."""
    with services(ctx) as svc:
        row = svc.payments.add(svc.resolve("invoice", invoice_id), amount, **options)
        invoice = svc.invoices.get(row.invoice_id)
    if as_json:
        emit_json({"payment": row, "invoice_status": invoice.status, "balance": invoice.balance})
    else:
        click.echo(
            f"Recorded {row.amount} {row.currency} for {invoice.number}; "
            f"balance {invoice.balance} ({invoice.status})."
        )


@payment.command("list")
@click.argument("invoice_id")
@json_option
@click.pass_context
def list_(ctx: click.Context, /, invoice_id: str, as_json: bool) -> None:
    """List the payments of an invoice."""
    with services(ctx) as svc:
        rows = svc.payments.list(svc.resolve("invoice", invoice_id))
    if as_json:
        emit_json(rows)
    else:
        table(
            [(p.date, p.amount, p.currency, p.method, p.reference) for p in rows],
            ["date", "amount", "cur", "method", "reference"],
        )


@click.group("audit")
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
@json_option
@click.pass_context
def verify(ctx: click.Context, /, as_json: bool) -> None:
    """Check the audit chain and that no issued document was changed."""
    with services(ctx) as svc:
        report = svc.audit.verify()
    if as_json:
        emit_json(report)
    elif report.ok:
        click.echo(f"Audit trail intact: {report.events} events.")
    else:
        click.echo(
            f"Audit trail BROKEN: {report.problem} (event {report.first_bad_seq}).", err=True
        )
        for number in report.tampered_invoices:
            click.echo(f"  changed after issue: {number}", err=True)
    if not report.ok:
        ctx.exit(2)
