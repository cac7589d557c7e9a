"""Drafts and their lines."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Day, Flag, Number, Text, Whole


class DraftChanges(Command):
    """Fields of a draft invoice to change; fields not given keep their values."""

    currency: Text = Field(
        None, description="Invoice currency (ISO 4217); default: the customer's or the shop's."
    )
    language: Text = Field(
        None, description="Invoice language: en, nl, de or fr; default: the customer's or shop's."
    )
    issue_date: Day = Field(None, description="Date of issue; default: the day it is issued.")
    supply_date: Day = Field(None, description="Date of supply, if not the issue date.")
    period_start: Day = Field(None, description="First day of the invoiced period.")
    period_end: Day = Field(None, description="Last day of the invoiced period.")
    due_days: Whole = Field(
        None, description="Days until due (0 to 365); default: the customer's or shop's terms."
    )
    buyer_reference: Text = Field(
        None, description="The buyer's reference (purchase order), at most 200 characters."
    )
    notes: Text = Field(None, description="Notes printed on the invoice.")
    exchange_rate: Number = Field(
        None,
        description="Units of the shop's currency per unit of the invoice currency, an exact "
        "decimal (needed when they differ).",
    )


class NewDraft(DraftChanges):
    """A draft invoice to start for a customer."""

    required = ("customer_id",)

    customer_id: Text = Field(None, description="Id of the customer the invoice is for.")


class LineChanges(Command):
    """Fields of a draft's line to change; fields not given keep their values."""

    product_id: Text = Field(
        None, description="Id of a product to take the description, price and VAT class from."
    )
    description: Text = Field(
        None, description="What is sold (required without a product), at most 1000 characters."
    )
    quantity: Number = Field(
        None, description="Quantity, an exact decimal above zero (at most 6 places); default 1."
    )
    unit_price: Number = Field(
        None,
        description="Price per unit excluding VAT, an exact decimal as typed in the user's "
        "locale (required without a product).",
    )
    rate_class: Text = Field(
        None,
        description="VAT rate class: standard, reduced, reduced2, super_reduced, parking, "
        "zero or exempt; default: the product's, else standard.",
    )
    supply_kind: Text = Field(
        None,
        description="goods, services or electronic_services; default: the product's, else goods.",
    )
    unit_code: Text = Field(None, description="Unit (UN/ECE Rec. 20 code); default C62.")
    art59_service: Flag = Field(
        None, description="A service taxed where the customer is (Art. 59 of the VAT Directive)."
    )


class NewLine(LineChanges):
    """A line to add to a draft: from a product, or free text with a unit price."""
