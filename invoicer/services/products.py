"""Products and services the merchant sells."""

from __future__ import annotations

from typing import Any

from invoicer.domain import limits
from invoicer.domain.amounts import DEFAULT_LOCALE
from invoicer.services import mapping, views
from invoicer.services.catalog import CatalogService
from invoicer.services.commands import NewProduct, ProductChanges
from invoicer.services.fields import Fields
from invoicer.store import schema

FIELDS = tuple(ProductChanges.model_fields)


class ProductService(CatalogService[views.Product]):
    model = schema.Product
    entity = "product"
    to_view = staticmethod(mapping.product)
    search_columns = ("name", "sku")

    def add(self, product: NewProduct) -> views.Product:
        with self._write() as session:
            clean = self._check(product.given(), self.user_locale(session))
            row = schema.Product(**clean)
            session.add(row)
            session.flush()
            self._log(session, "add", row)
            return mapping.product(row)

    def update(self, product_id: str, changes: ProductChanges) -> views.Product:
        data = changes.given()
        with self._write() as session:
            row = self._row(session, product_id)
            clean = self._check(
                {f: getattr(row, f) for f in FIELDS} | data, self.user_locale(session)
            )
            for key in data:
                setattr(row, key, clean[key])
            row.updated_at = self.now()
            self._log(session, "update", row)
            return mapping.product(row)

    def _check(self, data: dict[str, Any], locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
        fields = Fields(data, FIELDS, locale=locale)
        clean: dict[str, Any] = {
            "name": fields.text("name", required=True, max_len=200),
            "description": fields.text("description", max_len=2000, multiline=True),
            "unit_code": fields.unit_code("unit_code") or "C62",
            "unit_price": fields.within(
                "unit_price",
                fields.decimal("unit_price", required=True, max_places=6),
                limits.check_unit_price,
            ),
            "currency": fields.currency("currency") or "EUR",
            "rate_class": fields.rate_class("rate_class") or "standard",
            "supply_kind": fields.supply_kind("supply_kind") or "goods",
            "art59_service": bool(fields.boolean("art59_service")),
            "sku": fields.text("sku", max_len=64),
        }
        fields.done()
        return clean
