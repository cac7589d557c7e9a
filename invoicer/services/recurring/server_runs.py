"""The server's share of the catch-up: the templates the server itself runs (device
`server`, set up through the server), for every shop it holds, one shop's problem never
stopping the others. A device's templates stay that device's (docs/recurring.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.recurring.catch_up import run_due
from invoicer.services.recurring.views import RunReport
from invoicer.services.sync.server_devices import SERVER_DEVICE
from invoicer.store.database import Database
from invoicer.store.recurring_schema import RecurringTemplate
from invoicer.store.tenancy import NO_SHOP


@dataclass(frozen=True, slots=True)
class ShopRun:
    shop_id: str
    report: RunReport | None
    problem: str | None = None


def server_run_shops(db: Database) -> list[str]:
    """The shops with a template the server runs (paused ones too: cheap to skip there)."""
    table = RecurringTemplate.__table__.c
    query = select(table.shop_id).where(table.device_id == SERVER_DEVICE).distinct()
    with db.read(shop_id=NO_SHOP) as session:  # across shops: Core, not the ORM's shop scope
        return sorted(str(shop) for shop in session.connection().execute(query).scalars())


def run_shops(open_shop: Callable[[str], Services], shop_ids: Iterable[str]) -> list[ShopRun]:
    runs = []
    for shop_id in shop_ids:
        try:
            runs.append(ShopRun(shop_id, run_due(open_shop(shop_id))))
        except InvoicerError as exc:
            runs.append(ShopRun(shop_id, None, str(exc)))
    return runs
