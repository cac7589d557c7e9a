"""Sync benchmark: `python bench/sync_bench.py [--invoices 100000] [--pg] [--incremental 10]`.

Builds a store of N invoices (bench/build_store.py), starts the real `invoicer serve` on a free
loopback port (SQLite, or `--pg`: a throw-away PostgreSQL cluster), signs up a shop, and
measures:

1. the first sync up: `sync setup` of the built store (its whole history pushed);
2. the first sync down: `sync setup` of a new, empty device (the whole shop pulled);
3. an incremental sync: K new invoices on the first device, then `sync` there and on the
   second device (the round trip: pushed, then pulled);
4. the server's pull throughput: events per second of a bare pull of the whole feed.

Also prints a floor measured in the same run: applying the same events store to store
(replay, no network), which the first sync down cannot beat. Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.build_store import build  # noqa: E402
from bench.server_bench import PASSWORD, serving, set_up  # noqa: E402
from invoicer.services.app import Services, open_services  # noqa: E402
from invoicer.services.commands import NewDraft, NewLine  # noqa: E402
from invoicer.services.context import ServiceContext  # noqa: E402
from invoicer.store.replay import apply_events, events_of  # noqa: E402


class Secrets:
    """An in-memory secret store per device: the bench never touches the user's keyring."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_secret(self, name: str) -> str | None:
        return self.values.get(name)

    def optional_secret(self, name: str) -> str | None:
        return self.values.get(name)

    def set_secret(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete_secret(self, name: str) -> bool:
        return self.values.pop(name, None) is not None

    def status(self) -> Any:
        from invoicer.integrations.secrets import SecretsStatus

        return SecretsStatus("memory", True, None, dict.fromkeys(self.values, True))


def device(path: Path, secrets: Secrets) -> Services:
    svc = open_services(path, ctx=ServiceContext.local(secrets=secrets))
    return svc


def timed(label: str, work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s  {result if result is not None else ''}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--incremental", type=int, default=10)
    parser.add_argument("--pg", action="store_true", help="a throw-away PostgreSQL server")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sync-bench-")))
        first, second, floor = work / "first.sqlite", work / "second.sqlite", work / "floor.sqlite"
        seconds = build(first, args.invoices)
        with open_services(first) as svc, svc.db.read() as session:
            from sqlalchemy import text

            events = session.execute(text("SELECT count(*) FROM audit_events")).scalar()
        print(f"built {args.invoices:,} invoices ({events:,} events) in {seconds:.1f} s")

        def replay_floor() -> str:
            with (
                open_services(first) as a,
                open_services(floor) as b,
                a.db.read() as reading,
                b.db.write() as writing,
            ):
                return f"{apply_events(writing, events_of(reading)):,} events"

        floor_s = timed("floor: replay store to store", replay_floor)

        if args.pg:
            from tests.pg_server import PgServer

            pg = PgServer()
            pg.start()
            stack.callback(pg.stop)
            pg.execute("CREATE DATABASE sync_bench")
            database = pg.url("sync_bench")
        else:
            database = str(work / "server.sqlite")
        url, _pid = stack.enter_context(serving(database, 1, work / "serve.log"))
        set_up(url)  # a shop and its admin
        email = "bench0@example.com"

        a_secrets, b_secrets = Secrets(), Secrets()
        a = stack.enter_context(device(first, a_secrets))
        up = timed(
            "first sync up (history)",
            lambda: a.sync.setup(url, name="Shop laptop", email=email, password=PASSWORD),
        )
        b = stack.enter_context(device(second, b_secrets))
        down = timed(
            "first sync down (new device)",
            lambda: b.sync.setup(url, name="Home desktop", email=email, password=PASSWORD),
        )

        customer = a.customers.list(limit=1).items[0].id

        def incremental() -> str:
            for _ in range(args.incremental):
                draft = a.invoices.create_draft(NewDraft(customer_id=customer)).id
                a.invoices.add_line(draft, NewLine(description="Tea", unit_price="4.50"))
                a.invoices.issue(draft)
            start = time.perf_counter()
            pushed = a.sync.run()
            pulled = b.sync.run()
            ms = (time.perf_counter() - start) * 1000
            return f"round trip {ms:.0f} ms (pushed {pushed.pushed}, pulled {pulled.pulled})"

        timed(f"incremental: {args.incremental} invoices", incremental)

        token = b_secrets.get_secret("sync_token")
        headers = {"Authorization": f"Bearer {token}", "Invoicer-Schema": "2"}

        def bare_pull() -> str:
            total, cursor = 0, None
            with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
                while True:
                    params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
                    page = http.get("/v1/sync/events", params=params).json()
                    total += len(page["events"])
                    cursor = page["cursor"]
                    if not page["has_more"]:
                        return f"{total:,} events"

        pull_s = timed("server pull throughput (bare HTTP)", bare_pull)
        print(
            f"summary: up {up:.1f} s, down {down:.1f} s (floor {floor_s:.1f} s, "
            f"{down / floor_s:.1f}x), pull {events / pull_s:,.0f} events/s"
        )


if __name__ == "__main__":
    main()
