"""Quotes: a draft quote to start, and which lines of an accepted one to invoice."""

from __future__ import annotations

from pydantic import Field

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
