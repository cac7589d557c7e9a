"""Quotes: a draft quote to start, and which lines of an accepted one to invoice."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SkipValidation, WithJsonSchema

from invoicer.services.commands.base import Command, Text, Whole


class NewQuote(Command):
    """A draft quote to start for a customer (its lines are added as a draft invoice's)."""

    required = ("customer_id",)

    customer_id: Text = Field(None, description="Id of the customer the quote is for.")
    currency: Text = Field(
        None, description="Quote currency (ISO 4217); default: the customer's or the shop's."
    )
    language: Text = Field(
        None, description="Quote language: en, nl, de or fr; default: the customer's or shop's."
    )
    valid_days: Whole = Field(
        None, description="Days the quote stays valid once issued (1 to 365); default 30."
    )
    notes: Text = Field(None, description="Notes printed on the quote.")


class ConvertQuote(Command):
    """Which lines of an accepted quote to invoice; none given: every line."""

    positions: Annotated[
        SkipValidation[list[int] | None],
        WithJsonSchema(
            {"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "null"}]}
        ),
    ] = Field(None, description="Positions of the quote's lines to invoice (default: all).")
