"""Adding and changing products and services."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Flag, Number, Text


class ProductChanges(Command):
    """Fields of a product to change; fields not given keep their values."""

    name: Text = Field(None, description="Name, at most 200 characters.")
    description: Text = Field(None, description="Description printed under the name.")
    unit_code: Text = Field(
        None,
        description="Unit (UN/ECE Rec. 20 code: C62 piece, HUR hour, KGM kilogram, ...); "
        "default C62.",
    )
    unit_price: Number = Field(
        None,
        description="Price per unit excluding VAT, an exact decimal (at most 6 places) as "
        'typed in the user\'s locale, e.g. "12.50" or "1.234,50".',
    )
    currency: Text = Field(None, description="Currency of the price (ISO 4217); default EUR.")
    rate_class: Text = Field(
        None,
        description="VAT rate class: standard, reduced, reduced2, super_reduced, parking, "
        "zero or exempt; default standard.",
    )
    supply_kind: Text = Field(
        None, description="goods, services or electronic_services; default goods."
    )
    art59_service: Flag = Field(
        None, description="A service taxed where the customer is (Art. 59 of the VAT Directive)."
    )
    sku: Text = Field(None, description="Article number, at most 64 characters.")


class NewProduct(ProductChanges):
    """A product or service to add (name and unit price are required)."""

    required = ("name", "unit_price")
