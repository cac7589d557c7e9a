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
