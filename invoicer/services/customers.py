"""Customers: structured address, VAT number checked offline, archived once used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select

from invoicer.domain.errors import NotFound
from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.fields import Fields
from invoicer.store import audit, schema

FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "vat_number",
    "email",
    "language",
    "currency",
    "payment_terms_days",
    "notes",
    "is_business",
)


def like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class CustomerService(Service):
    def add(self, **data: Any) -> views.Customer:
        clean = self._check(data, required=True)
        with self.db.write() as session:
            row = schema.Customer(**clean)
            session.add(row)
            session.flush()
            audit.append(session, "customer.add", "customer", row.id, _state(row))
            return mapping.customer(row)

    def update(self, customer_id: str, **data: Any) -> views.Customer:
        with self.db.write() as session:
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
            row.updated_at = schema.utcnow()
            audit.append(session, "customer.update", "customer", row.id, _state(row))
            return mapping.customer(row)

    def archive(self, customer_id: str) -> views.Customer:
        with self.db.write() as session:
            row = self._row(session, customer_id)
            row.archived = True
            audit.append(session, "customer.archive", "customer", row.id, _state(row))
            return mapping.customer(row)

    def get(self, customer_id: str) -> views.Customer:
        with self.db.read() as session:
            return mapping.customer(self._row(session, customer_id))

    def list(
        self,
        search: str | None = None,
        include_archived: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> views.Page[views.Customer]:
        query = select(schema.Customer)
        if not include_archived:
            query = query.where(schema.Customer.archived.is_(False))
        if search and search.strip():
            pattern = like_prefix(search.strip())
            query = query.where(
                or_(
                    schema.Customer.name.ilike(pattern, escape="\\"),
                    schema.Customer.name.ilike("% " + pattern, escape="\\"),
                    schema.Customer.vat_number.ilike(pattern, escape="\\"),
                    schema.Customer.email.ilike(pattern, escape="\\"),
                )
            )
        with self.db.read() as session:
            total = session.execute(select(func.count()).select_from(query.subquery())).scalar()
            rows = session.execute(
                query.order_by(func.lower(schema.Customer.name)).offset(offset).limit(limit)
            ).scalars()
            items = tuple(mapping.customer(r) for r in rows)
        return views.Page(items, int(total or 0), offset, limit)

    def record_vies_check(
        self,
        customer_id: str,
        valid: bool,
        checked_at: dt.datetime,
        name: str | None = None,
        address: str | None = None,
        request_id: str | None = None,
    ) -> views.Customer:
        with self.db.write() as session:
            row = self._row(session, customer_id)
            row.vies_valid = bool(valid)
            row.vies_checked_at = checked_at.replace(tzinfo=None)
            row.vies_name, row.vies_address, row.vies_request_id = name, address, request_id
            audit.append(session, "customer.vies_check", "customer", row.id, _state(row))
            return mapping.customer(row)

    def _row(self, session: Any, customer_id: str) -> schema.Customer:
        row = session.get(schema.Customer, customer_id)
        if row is None:
            raise NotFound(f"There is no customer with id {customer_id}.")
        return row  # type: ignore[no-any-return]

    def _check(self, data: dict[str, Any], *, required: bool) -> dict[str, Any]:
        fields = Fields(data, FIELDS)
        clean: dict[str, Any] = {
            "name": fields.text("name", required=required, max_len=200),
            "street": fields.text("street"),
            "postcode": fields.text("postcode", max_len=20),
            "city": fields.text("city"),
            "notes": fields.text("notes", max_len=4000),
        }
        clean["country"] = fields.country("country", required=required)
        clean["vat_number"] = fields.vat_number("vat_number", country=clean["country"])
        clean["email"] = fields.email("email")
        clean["language"] = fields.language("language")
        clean["currency"] = fields.currency("currency")
        clean["payment_terms_days"] = fields.integer("payment_terms_days", maximum=365)
        clean["is_business"] = fields.boolean("is_business")
        fields.done()
        return clean


def _state(row: schema.Customer) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in schema.Customer.__table__.columns}
