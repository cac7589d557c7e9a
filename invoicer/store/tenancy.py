"""Which shop a transaction works for, in one place.

Every row a shop holds carries its shop id (schema.py). A transaction names its shop once
(`Database.write(shop_id=...)` / `Database.read(shop_id=...)`, which put it in the session):
new rows get that id when they are flushed, and ORM queries only see that shop's rows. No
service or route filters by shop itself, so none can forget to. A local file holds one shop,
its default: its queries are left as they are (and use the indexes they were tuned for).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from invoicer.domain.errors import NotFound

SHOP_KEY = "invoicer.shop_id"
SCOPED_KEY = "invoicer.scoped"  # set when the caller named the shop (a server's request)
# The shop of a transaction on the server's own tables (users, keys, its event log), which is
# for no one shop: its rows keep the shop they name, None included (a superadmin's), and
# naming it keeps Database.write from creating a first shop in an empty database.
NO_SHOP = "-"


class NoShop(NotFound):
    """A write was asked for without a shop to write it for (a programming error on a
    server; a local file always has its one shop)."""


def shop_of(session: Session) -> str:
    """The shop the session's transaction works for."""
    shop_id = session.info.get(SHOP_KEY)
    if shop_id is None:
        raise NoShop("This database holds no shop yet: create one first.")
    return str(shop_id)


def first_shop(session: Session) -> str | None:
    """The shop of a database used without naming one (a single-shop store on PostgreSQL;
    a local file gets its shop from migration 0012): made by its first write. None when the
    database already holds shops, so an unnamed write to a server's is refused."""
    from sqlalchemy import func, select

    from invoicer.store.schema import Tenant

    if session.execute(select(func.count()).select_from(Tenant)).scalar():
        return None
    tenant = Tenant()
    session.add(tenant)
    session.flush()
    return tenant.id


def tenant_scoped(factory: sessionmaker[Session]) -> None:
    """Stamp new rows with the session's shop and scope ORM selects to it."""

    @event.listens_for(factory, "before_flush")
    def _fill_shop_ids(session: Session, _context: Any, _instances: Any) -> None:
        shop_id = session.info.get(SHOP_KEY)
        if shop_id == NO_SHOP:
            return
        held = _shop_held()
        for row in session.new:
            # Only a shop's own rows: a server row without a shop (the platform superadmin,
            # a platform event) keeps its NULL rather than the session's placeholder shop.
            if isinstance(row, held) and getattr(row, "shop_id", None) is None:
                if shop_id is None:
                    raise NoShop("This database holds no shop yet: create one first.")
                row.shop_id = shop_id  # type: ignore[attr-defined]

    @event.listens_for(factory, "do_orm_execute")
    def _scope(state: ORMExecuteState) -> None:
        if not state.session.info.get(SCOPED_KEY) or not state.is_select:
            return
        shop_id = state.session.info[SHOP_KEY]
        state.statement = state.statement.options(
            with_loader_criteria(
                _shop_held(), lambda cls: cls.shop_id == shop_id, include_aliases=True
            )
        )


def _shop_held() -> type:
    """The marker of every model whose rows a shop holds (schema.ShopHeld): the ShopOwned
    tables and the per-shop ones keyed otherwise (its profile, counters, event log). The
    server's own tables (users, keys) are not: the accounts service reads them across shops
    by design, and filters them itself."""
    from invoicer.store.schema import ShopHeld

    return ShopHeld
