"""The server's scheduler for recurring invoices: a thread beside the API (started by
`invoicer serve`) that runs the catch-up for the templates the server runs, as each shop's
services with the server's device, every `interval` seconds (docs/recurring.md)."""

from __future__ import annotations

import logging
import threading

from invoicer.server.auth import shop_services
from invoicer.server.state import ServerState
from invoicer.services.recurring.server_runs import ShopRun, run_shops, server_run_shops

log = logging.getLogger("invoicer.server.recurring")
ACTOR = "scheduler:recurring"


def run_all(state: ServerState) -> list[ShopRun]:
    runs = run_shops(lambda shop: shop_services(state, shop, ACTOR), server_run_shops(state.db))
    for done in runs:
        if done.problem:
            log.warning("recurring run of shop %s: %s", done.shop_id, done.problem)
        elif done.report:
            log.info("recurring run of shop %s: %s", done.shop_id, done.report.summary())
    return runs


class RecurringScheduler:
    """Runs every `interval` seconds until stopped."""

    def __init__(self, state: ServerState, interval: float = 3600.0) -> None:
        self.state = state
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recurring", daemon=True)

    def start(self) -> RecurringScheduler:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                run_all(self.state)
            except Exception:  # the scheduler must outlive one bad pass; the log says why
                log.exception("recurring run failed")
            self._stop.wait(self.interval)
