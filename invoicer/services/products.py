"""Products and services the merchant sells."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from invoicer.domain.errors import NotFound
from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.customers import like_prefix
from invoicer.services.fields import Fields
from invoicer.store import audit, schema

FIELDS = (
    "name",
    "description",
    "unit_code",
    "unit_price",
    "currency",
    "rate_class",
    "supply_kind",
    "art59_service",
    "sku",
)


class ProductService(Service):
    def add(self, **data: Any) -> views.Product:
        clean = self._check(data)
        with self.db.write() as session:
            row = schema.Product(**clean)
            session.add(row)
            session.flush()
            audit.append(session, "product.add", "product", row.id, _state(row))
            return mapping.product(row)

    def update(self, product_id: str, **data: Any) -> views.Product:
        with self.db.write() as session:
            row = self._row(session, product_id)
            clean = self._check({f: getattr(row, f) for f in FIELDS} | data)
            for key in data:
                setattr(row, key, clean[key])
            row.updated_at = schema.utcnow()
            audit.append(session, "product.update", "product", row.id, _state(row))
            return mapping.product(row)

    def archive(self, product_id: str) -> views.Product:
        with self.db.write() as session:
            row = self._row(session, product_id)
            row.archived = True
            audit.append(session, "product.archive", "product", row.id, _state(row))
            return mapping.product(row)

    def get(self, product_id: str) -> views.Product:
        with self.db.read() as session:
            return mapping.product(self._row(session, product_id))

    def list(
        self,
        search: str | None = None,
        include_archived: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> views.Page[views.Product]:
        query = select(schema.Product)
        if not include_archived:
            query = query.where(schema.Product.archived.is_(False))
        if search and search.strip():
            pattern = like_prefix(search.strip())
            query = query.where(
                or_(
                    schema.Product.name.ilike(pattern, escape="\\"),
                    schema.Product.name.ilike("% " + pattern, escape="\\"),
                    schema.Product.sku.ilike(pattern, escape="\\"),
                )
            )
        with self.db.read() as session:
            total = session.execute(select(func.count()).select_from(query.subquery())).scalar()
            rows = session.execute(
                query.order_by(func.lower(schema.Product.name)).offset(offset).limit(limit)
            ).scalars()
            items = tuple(mapping.product(r) for r in rows)
        return views.Page(items, int(total or 0), offset, limit)

    def _row(self, session: Any, product_id: str) -> schema.Product:
        row = session.get(schema.Product, product_id)
        if row is None:
            raise NotFound(f"There is no product with id {product_id}.")
        return row  # type: ignore[no-any-return]

    def _check(self, data: dict[str, Any]) -> dict[str, Any]:
        fields = Fields(data, FIELDS)
        clean: dict[str, Any] = {
            "name": fields.text("name", required=True, max_len=200),
            "description": fields.text("description", max_len=2000),
            "unit_code": fields.unit_code("unit_code") or "C62",
            "unit_price": fields.decimal("unit_price", required=True, max_places=6),
            "currency": fields.currency("currency") or "EUR",
            "rate_class": fields.rate_class("rate_class") or "standard",
            "supply_kind": fields.supply_kind("supply_kind") or "goods",
            "art59_service": bool(fields.boolean("art59_service")),
            "sku": fields.text("sku", max_len=64),
        }
        fields.done()
        return clean


def _state(row: schema.Product) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in schema.Product.__table__.columns}
