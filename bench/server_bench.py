"""API server benchmark: `python bench/server_bench.py [--database-url URL | --pg] [--workers 2]
[--clients 1,8,32] [--seconds 10] [--shops 1]`.

Starts the real `invoicer serve` (production mode, a random signing secret in its environment,
no access log) on a free loopback port, signs up a shop, and runs N concurrent clients (asyncio
+ httpx, one keep-alive connection each) that create a draft, add a line and issue it, over
and over, for `--seconds` per N. Prints invoices issued per second, the p50/p99 of each
request and of a whole invoice (three requests), and the CPU time the server (and with --pg,
PostgreSQL) spent per invoice (from /proc: a figure a shared machine's load distorts far less
than the rates); then checks that the numbers issued are unique and gap-free, per shop
(`--shops K` spreads the clients over K signed-up shops). Not a test.

The database: a new SQLite file (default), `--database-url postgresql+psycopg://...` (an empty
database), or `--pg`: a throw-away PostgreSQL cluster (tests/pg_server.py; fsync on).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench horse battery staple"
PROFILE = {
    "legal_name": "Bench Bakery B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL000099998B57",
    "iban": "NL91ABNA0417164300",
}
CUSTOMER = {"street": "Kerkstraat 5", "postcode": "3511 LX", "city": "Utrecht", "country": "NL"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    database: str, workers: int, log: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """`invoicer serve` until the block ends (its whole process group stopped)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOICER_")}
    env.update(
        PYTHONPATH=str(REPO),
        INVOICER_JWT_SECRET=secrets.token_urlsafe(48),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.update(extra_env or {})
    argv = [sys.executable, "-m", "invoicer", "serve", "--port", str(port)]
    argv += ["--workers", str(workers), "--database-url", database, "--no-access-log"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(f"invoicer serve exited:\n{log.read_text()}")
            with suppress(httpx.TransportError):
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"invoicer serve did not get ready:\n{log.read_text()}")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 10.0


def cpu_ms(session: int | None = None, parent: int | None = None) -> float:
    """CPU time (user + system) of the processes of a session (the server and its workers)
    or of a parent and its children (PostgreSQL's postmaster and backends), from /proc;
    0 where there is no /proc. Load-independent, unlike the wall-clock rates."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid, sid = int(entry.name), int(fields[1]), int(fields[3])
        if (session is not None and sid == session) or (
            parent is not None and parent in (pid, ppid)
        ):
            total += int(fields[11]) + int(fields[12])
        if parent is not None and pid == parent:  # backends that have exited, reaped by it
            total += int(fields[13]) + int(fields[14])
    return total * TICK_MS


def set_up(url: str, index: int = 0) -> tuple[dict[str, str], str]:
    """A signed-up shop's headers and a customer of it."""
    signed = httpx.post(
        f"{url}/v1/auth/signup",
        json={"email": f"bench{index}@example.com", "password": PASSWORD, "shop": PROFILE},
        timeout=60,
    )
    signed.raise_for_status()
    headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    customer = httpx.post(
        f"{url}/v1/customers",
        headers=headers,
        json={**CUSTOMER, "name": "Café Zuid"},
        timeout=60,
    )
    customer.raise_for_status()
    return headers, str(customer.json()["id"])


class Run:
    """What one level (N clients) measured."""

    def __init__(self) -> None:
        self.requests: list[float] = []  # ms, every request
        self.issues: list[float] = []  # ms, the issue request only
        self.invoices: list[float] = []  # ms, draft + line + issue
        self.numbers: dict[int, list[str]] = {}  # shop index -> numbers issued


Shop = tuple[dict[str, str], str]  # headers, customer id


async def client(url: str, shop: int, shops: list[Shop], until: float, run: Run) -> None:
    headers, customer = shops[shop]
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as http:

        async def call(path: str, body: dict[str, str] | None = None) -> httpx.Response:
            start = time.perf_counter()
            response = await http.post(path, json=body)
            run.requests.append((time.perf_counter() - start) * 1000)
            if response.status_code >= 300:
                raise SystemExit(f"POST {path}: {response.status_code} {response.text}")
            return response

        while time.perf_counter() < until:
            start = time.perf_counter()
            draft = (await call("/v1/invoices", {"customer_id": customer})).json()["id"]
            line = {"description": "Sourdough loaf", "quantity": "2", "unit_price": "4.50"}
            await call(f"/v1/invoices/{draft}/lines", line)
            issue_start = time.perf_counter()
            issued = await call(f"/v1/invoices/{draft}/issue")
            now = time.perf_counter()
            run.issues.append((now - issue_start) * 1000)
            run.invoices.append((now - start) * 1000)
            run.numbers.setdefault(shop, []).append(issued.json()["number"])


async def level(url: str, shops: list[Shop], n: int, seconds: float) -> Run:
    """N clients for `seconds`, client i working for shop i mod len(shops)."""
    run = Run()
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client(url, i % len(shops), shops, until, run) for i in range(n)))
    return run


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def gap_free(numbers: list[str]) -> bool:
    sequence = sorted(int(re.search(r"(\d+)$", n).group(1)) for n in numbers)  # type: ignore[union-attr]
    return len(set(numbers)) == len(numbers) and sequence == list(
        range(sequence[0], sequence[0] + len(sequence))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pg", action="store_true", help="a throw-away PostgreSQL cluster")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--shops", type=int, default=1, help="clients spread over K shops")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]

    with tempfile.TemporaryDirectory(prefix="invoicer-server-bench-") as scratch:
        pg = None
        if args.pg:
            sys.path.insert(0, str(REPO))
            from tests.pg_server import PgServer

            pg = PgServer()
            pg.start()
            pg.execute("CREATE DATABASE bench")
            database = pg.url("bench")
        else:
            database = args.database_url or str(Path(scratch) / "server.sqlite")
        try:
            kind = "PostgreSQL" if "://" in database else "SQLite"
            print(
                f"# {kind}, {args.workers} worker(s), {args.shops} shop(s), "
                f"{args.seconds:g} s per level; "
                f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}"
            )
            postmaster = None
            if pg is not None:
                postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
            with serving(database, args.workers, Path(scratch) / "serve.log") as (url, server):
                shops = [set_up(url, index) for index in range(args.shops)]
                # Warm up (imports, connection pools); its numbers count for the check too.
                numbers = asyncio.run(level(url, shops, 4, 2.0)).numbers
                print(
                    "clients  invoices/s  req p50  req p99  issue p50  issue p99  inv p50  inv p99"
                    "  app CPU/inv  db CPU/inv"
                )
                for n in levels:
                    app_before, db_before = cpu_ms(session=server), cpu_ms(parent=postmaster)
                    run = asyncio.run(level(url, shops, n, args.seconds))
                    count = max(1, len(run.invoices))
                    app_cpu = (cpu_ms(session=server) - app_before) / count
                    db_cpu = (cpu_ms(parent=postmaster) - db_before) / count
                    for shop, issued in run.numbers.items():
                        numbers.setdefault(shop, []).extend(issued)
                    print(
                        f"{n:7d}  {len(run.invoices) / args.seconds:10.1f}  "
                        f"{statistics.median(run.requests):7.1f}  {pct(run.requests, 0.99):7.1f}  "
                        f"{statistics.median(run.issues):9.1f}  {pct(run.issues, 0.99):9.1f}  "
                        f"{statistics.median(run.invoices):7.1f}  {pct(run.invoices, 0.99):7.1f}"
                        f"  {app_cpu:11.1f}  {db_cpu:10.1f}"
                    )
                print(
                    "(times in ms; CPU/inv: CPU ms per invoice of the server's processes and, "
                    "with --pg, of PostgreSQL's)"
                )
                ok = all(gap_free(issued) for issued in numbers.values())
                total = sum(len(issued) for issued in numbers.values())
                print(f"numbers: {total} issued, unique and gap-free in every shop: {ok}")
                if not ok:
                    raise SystemExit(1)
        finally:
            if pg is not None:
                pg.stop()


if __name__ == "__main__":
    main()
