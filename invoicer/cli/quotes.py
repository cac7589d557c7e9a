"""`invoicer quote new|add-line|remove-line|issue|send|mark-sent|accept|decline|convert|list|
show|pdf`."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import click

from invoicer.cli.common import emit_json, fields_from, id_only_option, json_option, services, table
from invoicer.services.quotes import QuoteView

NEW = ["currency", "language", "valid_days", "notes"]


@click.group("quote")
def quote() -> None:
    """Quotes (estimates): draft, issue, send, accept or decline, turn into an invoice."""


@quote.command("new")
@click.argument("customer_id")
@click.option("--currency", help="Currency (ISO 4217); default: the customer's or shop's.")
@click.option("--language", help="en, nl, de or fr; default: the customer's or shop's.")
@click.option("--valid-days", "valid_days", help="Days valid once issued (1 to 365); default 30.")
@click.option("--notes", help="Notes printed on the quote.")
@json_option
@id_only_option
@click.pass_context
def new(
    ctx: click.Context, /, customer_id: str, as_json: bool, id_only: bool, **options: Any
) -> None:
    """Start a draft quote for CUSTOMER_ID."""
    from invoicer.services.commands import NewQuote

    with services(ctx) as svc:
        customer = svc.resolve("customer", customer_id)
        draft = svc.quotes.create(NewQuote(customer_id=customer, **fields_from(options, NEW)))
    if id_only:
        click.echo(draft.id)
    else:
        emit_json(draft) if as_json else click.echo(
            f"Draft quote {draft.id} for {draft.customer_name}."
        )


@quote.command("add-line")
@click.argument("quote_id")
@click.option("--product", "product_id", help="Take description, price and VAT class from it.")
@click.option("--description")
@click.option("--quantity", default="1", show_default=True)
@click.option("--unit-price", "unit_price", help="Price per unit excluding VAT.")
@click.option("--unit-code", "unit_code", help="UN/ECE Rec. 20 unit code.")
@click.option("--rate-class", "rate_class")
@click.option("--supply-kind", "supply_kind")
@json_option
@click.pass_context
def add_line(ctx: click.Context, /, quote_id: str, as_json: bool, **options: Any) -> None:
    """Add a line to a draft quote (from a product or free text)."""
    from invoicer.services.commands import NewLine

    with services(ctx) as svc:
        data = fields_from(options, list(options))
        if "product_id" in data:
            data["product_id"] = svc.resolve("product", data["product_id"])
        draft = svc.quotes.add_line(svc.resolve("quote", quote_id), NewLine(**data))
    if as_json:
        emit_json(draft)
    else:
        click.echo(f"Line {draft.lines[-1].position} added; {len(draft.lines)} line(s).")


@quote.command("remove-line")
@click.argument("quote_id")
@click.argument("position", type=int)
@click.pass_context
def remove_line(ctx: click.Context, /, quote_id: str, position: int) -> None:
    """Remove the line at POSITION (as `quote show` numbers them) from a draft quote."""
    with services(ctx) as svc:
        svc.quotes.remove_line(svc.resolve("quote", quote_id), position)
    click.echo("Line removed.")


def _step(name: str, summary: str, done: str, action: str = "") -> None:
    @quote.command(name, help=summary)
    @click.argument("quote_id")
    @json_option
    @click.pass_context
    def command(ctx: click.Context, /, quote_id: str, as_json: bool) -> None:
        with services(ctx) as svc:
            view = getattr(svc.quotes, action or name)(svc.resolve("quote", quote_id))
        if as_json:
            emit_json(view)
        else:
            click.echo(done.format(number=view.number, until=view.valid_until, gross=view.gross,
                                   currency=view.currency))  # fmt: skip


_step(
    "issue",
    "Issue a draft quote: the next number of the quote series, valid for its days; frozen.",
    "Issued quote {number}: {gross} {currency}, valid until {until}.",
)
_step(
    "mark-sent",
    "Record that an issued quote reached the customer another way (`send` e-mails it).",
    "Quote {number} marked as sent.",
    action="send",
)


@quote.command("send")
@click.argument("quote_id")
@click.option(
    "--to", "to", multiple=True, help="Recipient (repeat for more); default: the customer's."
)
@click.option("--again", is_flag=True, help="Send once more even if this e-mail was sent already.")
@json_option
@click.pass_context
def send(
    ctx: click.Context, /, quote_id: str, to: tuple[str, ...], again: bool, as_json: bool
) -> None:
    """E-mail an issued quote (number or id) with its PDF, and mark it sent.

    The same e-mail to the same recipients is sent once: running the command again says
    when it went (use --again to send it once more)."""
    from invoicer.cli.mail import report_sent

    with services(ctx) as svc:
        sent = svc.mail.send_quote(
            svc.resolve("quote", quote_id),
            to=list(to) or None,
            request_key=uuid.uuid4().hex if again else "",
        )
    report_sent(sent, as_json)


_step("accept", "Record that the customer accepted the quote.", "Quote {number} accepted.")
_step("decline", "Record that the customer declined the quote.", "Quote {number} declined.")


@quote.command("convert")
@click.argument("quote_id")
@click.option(
    "--line",
    "positions",
    type=int,
    multiple=True,
    help="Invoice only the line at this position (repeat for more); default: every line.",
)
@json_option
@click.pass_context
def convert(
    ctx: click.Context, /, quote_id: str, positions: tuple[int, ...], as_json: bool
) -> None:
    """Turn an accepted quote into a draft invoice (its VAT decided again at the invoice date)."""
    with services(ctx) as svc:
        draft = svc.quotes.convert(svc.resolve("quote", quote_id), list(positions) or None)
    if as_json:
        emit_json(draft)
        return
    click.echo(f"Draft invoice {draft.id} with {len(draft.lines)} line(s).")
    if draft.notes:
        click.echo(draft.notes)


@quote.command("list")
@click.option("--status", help="draft, issued, sent, accepted, declined or expired.")
@click.option("--customer", "customer_id")
@click.option("--limit", default=50, show_default=True, help="Rows to show (1 to 1,000).")
@click.option("--offset", default=0, help="Rows to skip first.")
@json_option
@click.pass_context
def list_(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
    """List quotes, newest first."""
    with services(ctx) as svc:
        if options["customer_id"]:
            options["customer_id"] = svc.resolve("customer", options["customer_id"])
        page = svc.quotes.list(**options)
    if as_json:
        emit_json(page)
        return
    table(
        [
            (q.number or f"(draft {q.id[:8]})", q.issue_date, q.valid_until, q.customer_name,
             q.status, q.gross, q.currency)
            for q in page.items
        ],
        ["number", "date", "valid until", "customer", "status", "total", "cur"],
    )  # fmt: skip
    click.echo(f"{len(page.items)} of {page.total}")


@quote.command("show")
@click.argument("quote_id")
@json_option
@click.pass_context
def show(ctx: click.Context, /, quote_id: str, as_json: bool) -> None:
    """Show a quote (by number or id) with its lines and VAT breakdown, and the e-mails sent
    of it."""
    from invoicer.cli.common import plain
    from invoicer.cli.mail import echo_history

    with services(ctx) as svc:
        view = svc.quotes.get(svc.resolve("quote", quote_id))
        mail = svc.mail.quote_history(view.id)
    if as_json:
        emit_json({**plain(view), "mail": plain(mail)})
        return
    print_quote(view)
    echo_history(mail)


@quote.command("pdf")
@click.argument("quote_id")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write.")
@click.option("--force", is_flag=True, help="Overwrite a file that already exists.")
@click.pass_context
def pdf(ctx: click.Context, /, quote_id: str, output: Path | None, force: bool) -> None:
    """Render the PDF of an issued quote."""
    from invoicer.services.documents import check_output, pdf_filename, write_output

    with services(ctx) as svc:
        view = svc.quotes.get(svc.resolve("quote", quote_id))
        target = output or Path(pdf_filename(view.number or view.id))
        check_output(target, force=force)
        write_output(target, svc.documents.render_quote_pdf(view.id))
    click.echo(f"Wrote {target}.")


def print_quote(view: QuoteView) -> None:
    click.echo(f"Quote {view.number or '(draft)'}  [{view.status}]")
    click.echo(
        f"Customer: {view.customer_name}   Date: {view.issue_date or '-'}   "
        f"Valid until: {view.valid_until or '-'}   Currency: {view.currency}"
    )
    click.echo("")
    table(
        [
            (line.position, line.description, line.quantity, line.unit_price, line.net,
             line.category or "", "" if line.rate is None else f"{line.rate}%")
            for line in view.lines
        ],
        ["#", "description", "qty", "price", "net", "cat", "rate"],
    )  # fmt: skip
    click.echo("")
    click.echo(f"Net {view.net}   VAT {view.vat}   Total {view.gross} {view.currency}")
    if view.invoice_id:
        click.echo(f"Invoiced as draft/invoice {view.invoice_id}.")
    if view.notes:
        click.echo(view.notes)
