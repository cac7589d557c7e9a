"""The chain watcher beside the API: a thread (or `invoicer serve watch-chain`) that scans
the chain for every shop taking crypto, as that shop's services with the server's device
(payments booked here reach the shop's devices on their next pull)."""

from __future__ import annotations

import logging
import threading

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


class ChainWatcher:
    """Scans every `interval` seconds until stopped; started by `invoicer serve`."""

    def __init__(self, state: ServerState, interval: float = 15.0) -> None:
        self.state = state
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chain-watcher", daemon=True)

    def start(self) -> ChainWatcher:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                scan_all(self.state)
            except Exception:  # the watcher must outlive one bad pass; the log says why
                log.exception("chain scan failed")
            self._stop.wait(self.interval)
