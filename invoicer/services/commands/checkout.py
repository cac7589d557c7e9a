"""Hosted checkout sessions: what a merchant (or their web shop) asks the server for."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Number, Text, Whole


class BasketLine(Command):
    """One product of a basket and how many."""

    required = ("product_id",)

    product_id: Text = Field(None, description="Id of the product sold.")
    quantity: Number = Field(
        None, description="Quantity, an exact decimal above zero (at most 6 places); default 1."
    )


class Buyer(Command):
    """Who buys a basket (the checkout page asks for what is missing)."""

    name: Text = Field(None, description="Name (company or person), at most 200 characters.")
    email: Text = Field(None, description="E-mail address the invoice goes to.")
    street: Text = Field(None, description="Street and number.")
    postcode: Text = Field(None, description="Postcode.")
    city: Text = Field(None, description="City.")
    country: Text = Field(None, description="Country code (ISO 3166 alpha-2, e.g. DE).")
    vat_number: Text = Field(
        None,
        description="A business buyer's VAT number: checked offline and with VIES before the "
        "reverse charge applies.",
    )
    language: Text = Field(None, description="The buyer's language: en, nl, de or fr.")


class NewCheckout(Command):
    """A hosted checkout: for an issued invoice's open balance (`invoice_id`), or for a
    basket of products (`lines`, and the buyer if known) whose invoice is issued when the
    order is placed."""

    invoice_id: Text = Field(None, description="Id or number of an issued invoice to be paid.")
    lines: list[BasketLine] | None = Field(
        None, description="A basket: products and quantities (1 to 100 lines)."
    )
    buyer: Buyer | None = Field(None, description="The basket's buyer, if already known.")
    language: Text = Field(
        None, description="Language of the page: en, nl, de or fr; default the buyer's."
    )
    expires_in_hours: Whole = Field(
        None, description="Hours until the session expires (1 to 2160); default 72."
    )
