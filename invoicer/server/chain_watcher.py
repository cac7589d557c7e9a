"""The chain watcher beside the API (`invoicer serve watch-chain`, which `invoicer serve`
starts as a process of its own): it scans the chain for every shop taking crypto, as that
shop's services with the server's device (payments booked here reach the shop's devices on
their next pull)."""

from __future__ import annotations

import logging

from invoicer.server.auth import shop_services
from invoicer.server.state import ServerState
from invoicer.services.chain_watch import ShopScan, crypto_shops, scan_shops

log = logging.getLogger("invoicer.server.chain")
ACTOR = "watcher:chain"


def scan_all(state: ServerState) -> list[ShopScan]:
    scans = scan_shops(lambda shop: shop_services(state, shop, ACTOR), crypto_shops(state.db))
    for done in scans:
        if done.problem:
            log.warning("chain scan of shop %s: %s", done.shop_id, done.problem)
        elif done.report is not None and done.report.booked:
            log.info(
                "chain scan of shop %s booked %d payment(s)", done.shop_id, len(done.report.booked)
            )
    return scans
