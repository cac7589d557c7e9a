"""`invoicer pay ...`: getting paid by bank transfer, card (Stripe) and crypto."""

from __future__ import annotations

from pathlib import Path

import click

from invoicer.cli.common import emit_json, json_option, services, table


@click.group("pay")
def pay() -> None:
    """Bank statements, Stripe payment links and crypto payments."""


@pay.command("import-statement")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def import_statement(ctx: click.Context, /, file: Path, as_json: bool) -> None:
    """Book the payments in a bank statement (CAMT.053 XML or CSV; see docs/payments.md)."""
    from invoicer.services.payments_bank import import_statement as run_import

    with services(ctx) as svc:
        report = run_import(svc, file.read_bytes())
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"Booked {len(report.booked)} payment(s); {len(report.already_booked)} were "
        f"already booked; {len(report.unmatched)} need a person."
    )
    if report.booked:
        table(
            [
                (
                    m.invoice.number,
                    m.credit.amount,
                    m.credit.currency,
                    m.reason,
                    m.credit.payer_name,
                )
                for m in report.booked
            ],
            ["invoice", "amount", "cur", "matched by", "payer"],
        )
    if report.unmatched:
        click.echo("\nNot matched (record them with `invoicer payment add`):")
        table(
            [
                (c.booking_date, c.amount, c.currency, c.payer_name, (c.reference or c.text)[:50])
                for c in report.unmatched
            ],
            ["date", "amount", "cur", "payer", "reference / text"],
        )
