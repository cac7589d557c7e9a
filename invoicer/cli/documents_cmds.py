"""`invoicer credit-note create`, `invoicer payment add|list`, `invoicer audit verify`."""

from __future__ import annotations

from typing import Any

import click

from invoicer.cli.common import PaymentMethod, emit_json, json_option, services, table


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
    from invoicer.services.commands import NewCreditNote

    with services(ctx) as svc:
        note = svc.credit_notes.create(
            svc.resolve("invoice", invoice_id), NewCreditNote(lines=chosen, reason=reason)
        )
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


# A negative AMOUNT ("-5") is an amount to refuse with a clear message, not an option.
@payment.command("add", context_settings={"ignore_unknown_options": True})
@click.argument("invoice_id")
@click.argument("amount")
@click.option("--date", help="Date received (YYYY-MM-DD); default today.")
@click.option(
    "--method",
    default="bank_transfer",
    show_default=True,
    type=PaymentMethod(),
)
@click.option("--reference", help="Bank reference, receipt number, ...")
@click.option("--overpayment", is_flag=True, help="Accept more than the balance.")
@json_option
@click.pass_context
def add(ctx: click.Context, /, invoice_id: str, amount: str, as_json: bool, **options: Any) -> None:
    """Record AMOUNT received for INVOICE_ID (number or id)."""
    from invoicer.services.commands import RecordPayment

    with services(ctx) as svc:
        row = svc.payments.add(
            svc.resolve("invoice", invoice_id), RecordPayment(amount=amount, **options)
        )
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
        # By id, short id or number; an unknown invoice is an error, not an empty list.
        invoice = svc.invoices.get(svc.resolve("invoice", invoice_id))
        rows = svc.payments.list(invoice.id)
    if as_json:
        emit_json(rows)
    else:
        table(
            [(p.date, p.amount, p.currency, p.method, p.reference) for p in rows],
            ["date", "amount", "cur", "method", "reference"],
        )


@click.group("audit")
def audit() -> None:
    """The tamper-evident audit trail.

    Exit status of `audit verify`: 0 intact, 4 tampered (the records were changed behind
    Invoicer's back: each problem is listed), 5 the file is damaged (with the way back).
    """


def _hash(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise click.BadParameter("use the 64 hex characters `invoicer audit head` printed")
    return value


@audit.command("verify")
@click.option(
    "--expect",
    metavar="HASH",
    callback=_hash,
    help="A head hash kept outside the file (from `audit head`): it must be in the trail.",
)
@json_option
@click.pass_context
def verify(ctx: click.Context, /, expect: str | None, as_json: bool) -> None:
    """Check the file, the audit chain and that nothing issued or paid was changed.

    Exits 0 when intact, 4 when tampered (each problem listed with its document and event),
    5 when the file is damaged.
    """
    from invoicer.cli.errors import EXIT_TAMPERED

    with services(ctx) as svc:
        report = svc.audit.verify(expect)
    if as_json:
        emit_json(report)
    elif report.ok:
        head = report.head
        newest = f", newest {head.seq} ({head.hash[:12]}…)" if head and head.seq else ""
        kept = "; it contains the head you kept" if expect else ""
        click.echo(f"Audit trail intact: {report.events} events{newest}{kept}.")
    else:
        count = len(report.problems)
        click.echo(
            f"Audit trail BROKEN: {count} problem{'s' if count != 1 else ''} found "
            "(records changed outside Invoicer):",
            err=True,
        )
        for problem in report.problems:
            click.echo(f"  - {problem.message}", err=True)
    if not report.ok:
        ctx.exit(EXIT_TAMPERED)


@audit.command("head")
@json_option
@click.pass_context
def head(ctx: click.Context, /, as_json: bool) -> None:
    """Print the hash of the newest audit event, to keep outside the file.

    Give it to your accountant or keep it elsewhere; later `invoicer audit verify --expect
    HASH` proves no event up to it was removed or rewritten since.
    """
    with services(ctx) as svc:
        newest = svc.audit.head()
    if as_json:
        emit_json(newest)
    else:
        click.echo(newest.hash)
