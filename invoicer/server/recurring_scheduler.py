"""The server's share of recurring invoices: `invoicer serve run-recurring` (a process of its
own, as the chain watcher is: one SQLite engine per process) runs the catch-up for the
templates the server runs, as each shop's services with the server's device
(docs/recurring.md). Once (for cron) or every `interval` seconds until stopped."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator

from invoicer.server.auth import shop_services
from invoicer.server.state import ServerState
from invoicer.services.recurring.server_runs import ShopRun, run_shops, server_run_shops

log = logging.getLogger("invoicer.server.recurring")
ACTOR = "scheduler:recurring"


def run_all(state: ServerState) -> list[ShopRun]:
    """One pass: every shop with a template the server runs."""
    runs = run_shops(lambda shop: shop_services(state, shop, ACTOR), server_run_shops(state.db))
    for done in runs:
        if done.problem:
            log.warning("recurring run of shop %s: %s", done.shop_id, done.problem)
        elif done.report:
            log.info("recurring run of shop %s: %s", done.shop_id, done.report.summary())
    return runs


def run_recurring(
    database_url: str | None, *, once: bool, interval: float, parent: int | None = None
) -> Iterator[list[ShopRun]]:
    """`invoicer serve run-recurring`: passes, each one's results yielded, until stopped."""
    import time

    from invoicer.server.cli import ENV_DATABASE, default_database, watcher_state
    from invoicer.server.config import ServerConfig, database_target

    config = ServerConfig(
        database=os.environ.get(ENV_DATABASE) or database_target(database_url, default_database()),
        jwt_secret=secrets.token_urlsafe(48),  # never signs anything here
        production=False,
    )
    state = watcher_state(config)
    try:
        while True:
            yield run_all(state)
            if once or (parent is not None and os.getppid() != parent):
                return
            time.sleep(interval)
    finally:
        state.db.close()
