"""`invoicer pay ...`: getting paid by bank transfer, card (Stripe) and crypto."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from invoicer.cli.common import emit_json, json_option, services, table

if TYPE_CHECKING:
    from invoicer.services.payments_watch import WatchReport


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
    from invoicer.services.labels import statement_summary

    click.echo(statement_summary(report))
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


@pay.command("stripe-link")
@click.argument("invoice_id")
@json_option
@click.pass_context
def stripe_link(ctx: click.Context, /, invoice_id: str, as_json: bool) -> None:
    """Create a Stripe Checkout link for the invoice's balance (shown on its PDF)."""
    from invoicer.services.payments_stripe import create_link

    with services(ctx) as svc:
        request = create_link(svc, svc.resolve("invoice", invoice_id))
    if as_json:
        emit_json(request)
    else:
        click.echo(request.url)


@pay.command("refresh")
@json_option
@click.pass_context
def refresh(ctx: click.Context, /, as_json: bool) -> None:
    """Ask Stripe about open payment links and record the payments made."""
    from invoicer.services.payments_stripe import refresh as run_refresh

    with services(ctx) as svc:
        report = run_refresh(svc)
    if as_json:
        emit_json(report)
    else:
        click.echo(
            f"Paid: {', '.join(report.paid) or 'none'}; still open: {report.still_open}; "
            f"expired: {report.expired}."
        )


@pay.command("crypto-request")
@click.argument("invoice_id")
@click.option("--asset", default="ETH", show_default=True, help="An accepted coin (settings).")
@click.option("--rate", help="For ETH: the invoice currency per ETH, e.g. 3120.50.")
@json_option
@click.pass_context
def crypto_request(
    ctx: click.Context, /, invoice_id: str, asset: str, rate: str | None, as_json: bool
) -> None:
    """Create an EIP-681 payment request (QR on the PDF) for the invoice's balance."""
    from invoicer.services.commands import CryptoRequest
    from invoicer.services.payments_crypto import request_payment

    with services(ctx) as svc:
        wanted = CryptoRequest(asset=asset, rate=rate)
        request = request_payment(svc, svc.resolve("invoice", invoice_id), wanted)
    emit_json(request) if as_json else click.echo(f"{request.details['text']}\n{request.url}")


@pay.command("check-tx")
@click.argument("invoice_id")
@click.argument("tx_hash")
@json_option
@click.pass_context
def check_tx(ctx: click.Context, /, invoice_id: str, tx_hash: str, as_json: bool) -> None:
    """Verify a crypto transaction on chain and book it as a payment of the invoice."""
    from invoicer.services.commands import CryptoTransaction
    from invoicer.services.payments_crypto import check_transaction

    with services(ctx) as svc:
        transaction = CryptoTransaction(tx_hash=tx_hash)
        payment, check = check_transaction(svc, svc.resolve("invoice", invoice_id), transaction)
    if as_json:
        emit_json({"payment": payment, "check": check})
    else:
        from invoicer.services.labels import transaction_booked

        click.echo(transaction_booked(payment, check))


@pay.command("watch")
@click.option("--once", is_flag=True, help="Scan once and exit (for cron or a script).")
@click.option(
    "--interval",
    type=click.IntRange(1, 3600),
    default=15,
    show_default=True,
    help="Seconds between scans.",
)
@click.option(
    "--from-block",
    type=click.IntRange(0),
    help="Start here instead of where the last scan stopped.",
)
@click.option(
    "--max-blocks",
    type=click.IntRange(1, 100_000),
    default=2_000,
    show_default=True,
    help="Blocks per scan.",
)
@json_option
@click.pass_context
def watch(
    ctx: click.Context,
    /,
    once: bool,
    interval: int,
    from_block: int | None,
    max_blocks: int,
    as_json: bool,
) -> None:
    """Scan new blocks for transfers to the shop and book those that pay an open invoice by
    their exact amount (Ctrl+C stops)."""
    import time

    from invoicer.services.payments_watch import scan

    with services(ctx) as svc:
        try:
            while True:
                report = scan(svc, from_block=from_block, max_blocks=max_blocks)
                from_block = None  # later scans go on from the cursor
                _print_watch(report, as_json)
                if once:
                    return
                if report.to_block - report.from_block + 1 < max_blocks:
                    time.sleep(interval)  # caught up: wait for new blocks
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)


def _print_watch(report: WatchReport, as_json: bool) -> None:
    if as_json:
        emit_json(report)
        return
    from invoicer.services.labels import blocks_summary

    click.echo(blocks_summary(report))
    if report.to_block < report.from_block:
        return
    for booked in report.booked:
        click.echo(
            f"  {booked.invoice_number}: {booked.amount} {booked.currency} "
            f"({booked.transfer.asset}, {booked.transfer.tx_hash}, block {booked.transfer.block})"
        )
    for item in report.unmatched:
        click.echo(
            f"  not matched: {item.transfer.units} units of {item.transfer.asset} in "
            f"{item.transfer.tx_hash} (block {item.transfer.block}): {item.reason}"
        )
