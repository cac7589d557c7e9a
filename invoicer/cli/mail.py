"""`invoicer invoice send`, `invoicer remind` and `invoicer mail-template`: e-mail (the
services in invoicer/services/mail; docs/email.md)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from invoicer.cli.common import emit_json, json_option, services, table

if TYPE_CHECKING:
    from invoicer.services.mail.sending import Sent
    from invoicer.services.mail.sent_log import Entry

ATTACH = click.Choice(["auto", "ubl", "facturx", "none"])


@click.command("send")
@click.argument("invoice_id")
@click.option(
    "--to",
    "to",
    multiple=True,
    help="Recipient (repeat for more); default: the customer's address.",
)
@click.option(
    "--attach", type=ATTACH, help="E-invoice beside the PDF (default: the mail_attach setting)."
)
@click.option("--again", is_flag=True, help="Send once more even if this e-mail was sent already.")
@json_option
@click.pass_context
def send(
    ctx: click.Context,
    /,
    invoice_id: str,
    to: tuple[str, ...],
    attach: str | None,
    again: bool,
    as_json: bool,
) -> None:
    """E-mail an issued invoice or credit note (number or id) with its PDF.

    The same e-mail to the same recipients is sent once: running the command again says
    when it went (use --again to send it once more)."""
    with services(ctx) as svc:
        sent = svc.mail.send_invoice(
            svc.resolve("invoice", invoice_id),
            to=list(to) or None,
            attach=attach,
            request_key=uuid.uuid4().hex if again else "",
        )
    report_sent(sent, as_json)


def report_sent(sent: Sent, as_json: bool) -> None:
    """What a send did: sent now (and to whom), or sent before (and when)."""
    if as_json:
        emit_json(sent)
        return
    entry = sent.entry
    people = ", ".join(entry.recipients)
    if sent.already:
        click.echo(
            f"Already sent to {people} on {entry.finished_at or entry.at:%Y-%m-%d %H:%M} UTC "
            f"(Message-ID {entry.message_id}); nothing was sent now. --again sends it once more."
        )
        return
    click.echo(f"Sent to {people}: {entry.subject} ({', '.join(entry.attachments)}).")
    if sent.refused:
        click.echo(f"Warning: the mail server refused {', '.join(sent.refused)}.", err=True)


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Say which reminders are due; send nothing.")
@json_option
@click.pass_context
def remind(ctx: click.Context, /, dry_run: bool, as_json: bool) -> None:
    """E-mail reminders for overdue invoices, on the reminder_days cadence (each step once)."""
    with services(ctx) as svc:
        results = svc.mail.remind(dry_run=dry_run)
    if as_json:
        emit_json(results)
        return
    if not results:
        click.echo("No reminders are due.")
        return
    table(
        [(r.number, r.customer, r.days_overdue, r.step, r.outcome, r.detail) for r in results],
        ["invoice", "customer", "days late", "step", "outcome", "to / why"],
    )
    failed = sum(r.outcome == "failed" for r in results)
    if failed:
        raise click.ClickException(f"{failed} reminder(s) not sent; see above.")


def echo_history(entries: list[Entry]) -> None:
    """The document's e-mails under its `show`, if any were sent."""
    if entries:
        click.echo("")
        click.echo("E-mail:")
        for line in history_lines(entries):
            click.echo(f"  {line}")


def history_lines(entries: list[Entry]) -> list[str]:
    """The e-mail part of an invoice's history, one line per attempt."""
    from invoicer.services.mail.sent_log import describe

    return [describe(entry) for entry in entries]


@click.group("mail-template")
def mail_template() -> None:
    """The subject and body of e-mailed invoices and reminders, per language."""


@mail_template.command("list")
@json_option
@click.pass_context
def list_templates(ctx: click.Context, /, as_json: bool) -> None:
    """Every template: kind, language, whether it is your own, its subject."""
    with services(ctx) as svc:
        found = svc.mail.templates()
    if as_json:
        emit_json(found)
        return
    table(
        [(t.kind, t.language, "own" if t.custom else "built-in", t.subject) for t in found],
        ["kind", "lang", "", "subject"],
    )


@mail_template.command("show")
@click.argument("kind", type=click.Choice(["invoice", "reminder"]))
@click.argument("language", type=click.Choice(["en", "nl", "de", "fr"]))
@click.pass_context
def show_template(ctx: click.Context, /, kind: str, language: str) -> None:
    """Print a template (placeholders: {number} {amount} {due_date} {payment_link} {shop}
    {customer})."""
    with services(ctx) as svc:
        found = svc.mail.template(kind, language)
    click.echo(f"Subject: {found.subject}\n")
    click.echo(found.body, nl=False)


@mail_template.command("set")
@click.argument("kind", type=click.Choice(["invoice", "reminder"]))
@click.argument("language", type=click.Choice(["en", "nl", "de", "fr"]))
@click.option("--subject", help="The subject line.")
@click.option(
    "--body-file",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="A UTF-8 text file with the body (- reads it from standard input).",
)
@click.option("--reset", is_flag=True, help="Back to the built-in template.")
@click.pass_context
def set_template(
    ctx: click.Context,
    /,
    kind: str,
    language: str,
    subject: str | None,
    body_file: Path | None,
    reset: bool,
) -> None:
    """Change a template (what is not given stays as it is)."""
    if reset == bool(subject is not None or body_file is not None):
        raise click.UsageError("Give --subject and/or --body-file, or --reset.")
    body = _read_body(body_file) if body_file is not None else None
    with services(ctx) as svc:
        saved = svc.mail.save_template(kind, language, subject=subject, body=body, reset=reset)
    click.echo(f"Saved the {kind} template in {language}: {saved.subject}")


def _read_body(path: Path) -> str:
    stream: Any = click.open_file(str(path), encoding="utf-8")
    try:
        with stream:
            return str(stream.read())
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"Could not read {path}: {exc}") from None
