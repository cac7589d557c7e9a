"""Adding and changing customers."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Flag, Text, Whole


class CustomerChanges(Command):
    """Fields of a customer to change; fields not given keep their values, None clears one."""

    name: Text = Field(None, description="Name (company or person), at most 200 characters.")
    street: Text = Field(None, description="Street and number (may span lines).")
    postcode: Text = Field(None, description="Postcode.")
    city: Text = Field(None, description="City.")
    country: Text = Field(None, description="Country code (ISO 3166 alpha-2, e.g. DE).")
    vat_number: Text = Field(
        None, description="VAT number; EU numbers are checked offline (format and checksum)."
    )
    email: Text = Field(None, description="E-mail address.")
    language: Text = Field(None, description="Invoice language: en, nl, de or fr.")
    currency: Text = Field(None, description="Invoice currency (ISO 4217, e.g. EUR).")
    payment_terms_days: Whole = Field(None, description="Payment term in days (0 to 365).")
    notes: Text = Field(None, description="Notes about the customer.")
    is_business: Flag = Field(
        None, description="A business (B2B) rather than a consumer; decides the VAT treatment."
    )
    peppol_id: Text = Field(
        None,
        description="Peppol participant id SCHEME:VALUE (e.g. 0208:0403019261); "
        "default: from the VAT number.",
    )


class NewCustomer(CustomerChanges):
    """A customer to add (name and country are required)."""

    required = ("name", "country")
