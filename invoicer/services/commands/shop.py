"""The merchant's own profile."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Flag, Number, Text, Whole


class ShopProfileChanges(Command):
    """Fields of the shop profile to set. The first save creates the profile and needs the
    legal name and address; later saves change only the fields given."""

    legal_name: Text = Field(None, description="Legal name of the business.")
    trading_name: Text = Field(None, description="Trading name, if different.")
    street: Text = Field(None, description="Street and number (may span lines).")
    postcode: Text = Field(None, description="Postcode.")
    city: Text = Field(None, description="City.")
    country: Text = Field(None, description="Country code (ISO 3166 alpha-2, e.g. NL).")
    vat_number: Text = Field(
        None, description="VAT number (e.g. NL123456789B01); needed unless small_business."
    )
    registration_number: Text = Field(
        None, description="Chamber of commerce / registration number."
    )
    email: Text = Field(None, description="E-mail address.")
    phone: Text = Field(None, description="Phone number.")
    website: Text = Field(None, description="Website.")
    logo_path: Text = Field(None, description="A PNG, JPEG or SVG logo for the PDFs.")
    iban: Text = Field(None, description="IBAN for bank transfers.")
    bic: Text = Field(None, description="BIC of the bank.")
    currency: Text = Field(None, description="Default currency (ISO 4217); default EUR.")
    language: Text = Field(None, description="Default invoice language: en, nl, de or fr.")
    payment_terms_days: Whole = Field(
        None, description="Default payment term in days (0 to 365); default 14."
    )
    vat_status: Text = Field(None, description="registered, oss or small_business.")
    oss_opt_in: Flag = Field(
        None, description="Opted for destination VAT below the EUR 10,000 threshold."
    )
    invoice_number_format: Text = Field(
        None, description="Invoice numbers, with {seq} and {year}; default INV-{year}-{seq:06d}."
    )
    credit_note_number_format: Text = Field(
        None, description="Credit-note numbers; default CN-{year}-{seq:06d}."
    )
    eu_b2c_sales_outside_current_year: Number = Field(
        None, description="EU B2C distance sales made outside Invoicer this year (EUR)."
    )
    eu_b2c_sales_outside_previous_year: Number = Field(
        None, description="EU B2C distance sales made outside Invoicer last year (EUR)."
    )
    peppol_id: Text = Field(
        None,
        description="Peppol id SCHEME:VALUE (e.g. 0106:12345678); default: from the VAT number.",
    )
