"""The server's chain watcher (`invoicer serve watch-chain`, or `invoicer serve`'s own
thread): every shop that takes crypto (a receiving address in its settings) gets the scan
`invoicer pay watch` does locally, with its own settings and secrets, booking each confirmed
transfer once (the cursor and the transaction's id make a rescan book nothing twice)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.payments_watch import WatchReport, scan
from invoicer.store.accounts_schema import ShopSettings
from invoicer.store.database import Database
from invoicer.store.tenancy import NO_SHOP


@dataclass(frozen=True, slots=True)
class ShopScan:
    shop_id: str
    report: WatchReport | None
    problem: str | None = None  # why this shop could not be scanned (its node, its settings)


def crypto_shops(db: Database) -> list[str]:
    """The shops whose settings name a receiving address."""
    with db.read(shop_id=NO_SHOP) as session:
        rows = session.execute(select(ShopSettings.shop_id, ShopSettings.data)).all()
    found = []
    for shop_id, data in rows:
        try:
            stored = json.loads(data or "{}")
        except ValueError:
            continue
        if isinstance(stored, dict) and stored.get("receiving_address"):
            found.append(str(shop_id))
    return sorted(found)


def scan_shops(
    open_shop: Callable[[str], Services], shop_ids: Iterable[str], *, max_blocks: int = 2_000
) -> list[ShopScan]:
    """One pass over the shops; one shop's problem (its node down) never stops the others."""
    scans = []
    for shop_id in shop_ids:
        try:
            scans.append(ShopScan(shop_id, scan(open_shop(shop_id), max_blocks=max_blocks)))
        except InvoicerError as exc:
            scans.append(ShopScan(shop_id, None, str(exc)))
    return scans
