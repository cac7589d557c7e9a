"""Customers: structured address, VAT number checked offline, archived once used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.services import mapping, views
from invoicer.services.catalog import CatalogService
from invoicer.services.commands import CustomerChanges, NewCustomer
from invoicer.services.fields import Fields
from invoicer.store import schema

FIELDS = tuple(CustomerChanges.model_fields)


class CustomerService(CatalogService[views.Customer]):
    model = schema.Customer
    entity = "customer"
    to_view = staticmethod(mapping.customer)
    search_columns = ("name", "vat_number", "email")

    def add(self, customer: NewCustomer) -> views.Customer:
        clean = self._check(customer.given(), required=True)
        with self._write() as session:
            row = schema.Customer(**clean)
            session.add(row)
            session.flush()
            self._log(session, "add", row)
            return mapping.customer(row)

    def update(self, customer_id: str, changes: CustomerChanges) -> views.Customer:
        data = changes.given()
        with self._write() as session:
            row = self._row(session, customer_id)
            merged = {f: getattr(row, f) for f in FIELDS} | data
            clean = self._check(merged, required=True)
            old_number = row.vat_number
            for key in data:
                setattr(row, key, clean[key])
            if row.vat_number != old_number:
                # A new number needs a new VIES check.
                row.vies_valid = row.vies_checked_at = row.vies_request_id = None
                row.vies_name = row.vies_address = None
            row.updated_at = self.now()
            self._log(session, "update", row)
            return mapping.customer(row)

    def record_vies_check(
        self,
        customer_id: str,
        valid: bool,
        checked_at: dt.datetime,
        name: str | None = None,
        address: str | None = None,
        request_id: str | None = None,
    ) -> views.Customer:
        with self._write() as session:
            row = self._row(session, customer_id)
            row.vies_valid = bool(valid)
            row.vies_checked_at = checked_at.replace(tzinfo=None)
            row.vies_name, row.vies_address, row.vies_request_id = name, address, request_id
            self._log(session, "vies_check", row)
            return mapping.customer(row)

    def _check(self, data: dict[str, Any], *, required: bool) -> dict[str, Any]:
        return checked(data, required=required)


def checked(data: dict[str, Any], *, required: bool) -> dict[str, Any]:
    """A customer's fields as stored, or a ValidationError naming every problem (also what
    a hosted checkout's buyer is held to before any customer exists)."""
    fields = Fields(data, FIELDS)
    clean: dict[str, Any] = {
        "name": fields.text("name", required=required, max_len=200),
        "street": fields.text("street", multiline=True),
        "postcode": fields.text("postcode", max_len=20),
        "city": fields.text("city"),
        "notes": fields.text("notes", max_len=4000, multiline=True),
    }
    clean["country"] = fields.country("country", required=required)
    clean["vat_number"] = fields.vat_number("vat_number", country=clean["country"])
    clean["email"] = fields.email("email")
    clean["language"] = fields.language("language")
    clean["currency"] = fields.currency("currency")
    clean["payment_terms_days"] = fields.integer("payment_terms_days", maximum=365)
    clean["is_business"] = fields.boolean("is_business")
    clean["peppol_id"] = fields.peppol_id("peppol_id")
    fields.done()
    return clean
