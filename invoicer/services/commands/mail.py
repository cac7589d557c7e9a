"""E-mailing a document (services/mail/sending.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SkipValidation, WithJsonSchema

from invoicer.services.commands.base import Command, Flag, Text


class SendInvoice(Command):
    """E-mail an issued invoice or credit note with its PDF."""

    to: Annotated[
        SkipValidation[list[str] | None],
        WithJsonSchema(
            {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
        ),
    ] = Field(None, description="Recipients (20 at most); default: the customer's address.")
    attach: Text = Field(
        None,
        description="E-invoice beside the PDF: auto, ubl, facturx or none "
        "(default: the shop's mail_attach setting).",
    )
    again: Flag = Field(
        False,
        description="Send once more even if the same e-mail to the same recipients was sent.",
    )


class SendQuote(Command):
    """E-mail an issued quote with its PDF (and mark it sent)."""

    to: Annotated[
        SkipValidation[list[str] | None],
        WithJsonSchema(
            {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
        ),
    ] = Field(None, description="Recipients (20 at most); default: the customer's address.")
    again: Flag = Field(
        False,
        description="Send once more even if the same e-mail to the same recipients was sent.",
    )


class SendReminders(Command):
    """E-mail the reminders due for overdue invoices (reminder_days), each step once."""

    dry_run: Flag = Field(False, description="Say which reminders are due; send nothing.")


class MailTemplateChanges(Command):
    """Change the subject and/or body of a kind of message in a language (the rest stays)."""

    subject: Text = Field(None, description="The subject line (placeholders allowed).")
    body: Text = Field(
        None,
        description="The body; placeholders {number} {amount} {due_date} {valid_until} "
        "{payment_link} {shop} {customer}.",
    )
    reset: Flag = Field(False, description="Back to the built-in template.")
