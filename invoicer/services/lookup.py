"""Let users type the short ids that lists print (the first 8 characters)."""

from __future__ import annotations

from sqlalchemy import text

from invoicer.domain.errors import NotFound
from invoicer.store.database import Database

_TABLES = {
    "customer": "customers",
    "product": "products",
    "invoice": "invoices",
    "recurring": "recurring_templates",
    "quote": "quotes",
}


def resolve_id(db: Database, kind: str, prefix: str, shop_id: str | None = None) -> str:
    """The full id that starts with `prefix`, or `prefix` itself when it is no short id
    (`shop_id`: the services' context's shop; None: the file's one shop)."""
    prefix = prefix.strip()
    if len(prefix) >= 36 or len(prefix) < 4:
        return prefix
    with db.read(shop_id=shop_id) as session:
        rows = (
            session.execute(
                text(f"SELECT id FROM {_TABLES[kind]} WHERE id LIKE :p LIMIT 2"),
                {"p": prefix + "%"},
            )
            .scalars()
            .all()
        )
    if len(rows) == 1:
        return str(rows[0])
    if not rows:
        return prefix
    raise NotFound(f"{prefix} matches more than one {kind}; give more of the id.")
