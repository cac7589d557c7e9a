"""Store benchmarks at scale: `python bench/store_bench.py [--invoices 100000] [--db FILE]`.

Builds (or reuses) a store with bench/build_store.py and measures what a merchant waits for:
issuing (beside its floor), a page of the invoice list, searching, the yearly VAT summary and
the ageing report. Prints a table (median and p95 of repeated runs). Not a test.

`--database-url postgresql+psycopg://user@host:port/name` measures a PostgreSQL database
instead of the SQLite files: built there when it holds no invoices (create it empty first),
reused otherwise. Its floor runs on a copy, `name_floor` (CREATE DATABASE ... TEMPLATE, so the
user may create databases; dropped afterwards).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_store import build, size_of
from sqlalchemy import make_url

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewDraft, NewLine
from invoicer.store import audit
from invoicer.store.database import WRITE_LOCK_KEY, is_url


def raw_samples(call: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    return percentiles(raw_samples(call, runs))


def make_drafts(svc: Services, runs: int) -> list[str]:
    """`runs` drafts of 5 lines for the same customer (their totals estimated, as the editor
    leaves them)."""
    customer = svc.customers.list(search="Jansen", limit=1).items[0].id
    product = svc.products.list(limit=1).items[0].id
    drafts = []
    for _ in range(runs):
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        for quantity in ("1", "2", "3", "4", "5"):
            svc.invoices.add_line(draft.id, NewLine(product_id=product, quantity=quantity))
        drafts.append(draft.id)
    return drafts


# The floor: what issuing must write, in one bare transaction (`:name` parameters, as sqlite3
# takes them; psycopg's `%(name)s` are made from them). The statements are the app's.
FLOOR_PRAGMAS = (
    "PRAGMA busy_timeout = 15000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)
FLOOR_COUNTER = """
    INSERT INTO number_series (shop_id, series, year, next_seq) VALUES (:shop, 'invoice', :year, 2)
    ON CONFLICT (shop_id, series, year) DO UPDATE SET next_seq = number_series.next_seq + 1
    RETURNING next_seq - 1
"""
FLOOR_ISSUE = """
    UPDATE invoices SET number = :number, series = 'invoice', year = :year, seq = :seq,
        issue_date = :today, supply_date = :today, due_days = 14, due_date = :due,
        seller = :seller, buyer = :buyer, requirements = :requirements,
        net_minor = :net, vat_minor = :vat, gross_minor = :gross, eu_b2c_eur_minor = 0,
        issued_at = :now, updated_at = :now
    WHERE shop_id = :shop AND id = :id
"""
FLOOR_LAST_SEQ = "SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1"
FLOOR_DEVICE_END = """
    SELECT device_seq, hash FROM audit_events WHERE shop_id = :shop AND device_id = :device
    ORDER BY device_seq DESC LIMIT 1
"""
EVENT_FIELDS = (
    "seq", "shop_id", "id", "device_id", "device_seq", "schema_version", "at", "actor", "action",
    "entity", "entity_id", "state", "prev_hash", "hash",
)  # fmt: skip
FLOOR_EVENT = (
    f"INSERT INTO audit_events ({', '.join(EVENT_FIELDS)}) "
    f"VALUES ({', '.join(':' + name for name in EVENT_FIELDS)})"
)


class FloorIssuer:
    """Issuing's physical floor on a copy of a store: drafts made by the services, then each
    issued by hand in one bare transaction that holds the write lock (SQLite: BEGIN IMMEDIATE,
    synchronous=FULL; PostgreSQL: the app's advisory lock, synchronous_commit on): the counter
    upsert (one statement), the invoice row set to issued (number, dates, snapshots, totals:
    the draft's, already decided, so the VAT day-total trigger adds its groups), the chain's
    end read (the store's last `seq`, the device's last event) and the audit event inserted
    with its hash computed in Python (the audit-head trigger moves), then COMMIT. No other
    reads. Subclasses: the copy, the connection, the driver's transaction."""

    name = ""

    def __init__(self, source: Path | str, workdir: Path, runs: int) -> None:
        target = self.copy(source, workdir)
        with open_services(target) as svc:
            drafts = make_drafts(svc, runs)
        self.connect(target)
        (self.shop_id,) = self.run("SELECT id FROM shops").fetchone()
        shop = self.run("SELECT * FROM shop").fetchone()
        self.seller = json.dumps(list(shop), default=str)
        self.drafts = iter(
            [
                self.run(
                    "SELECT id, net_minor, vat_minor, gross_minor FROM invoices WHERE id = :id",
                    {"id": id_},
                ).fetchone()
                for id_ in drafts
            ]
        )
        self.today = dt.date.today()

    def copy(self, source: Path | str, workdir: Path) -> Path | str:
        raise NotImplementedError

    def connect(self, target: Path | str) -> None:
        raise NotImplementedError

    def run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """Execute one statement in the open transaction; its cursor."""
        raise NotImplementedError

    def begin(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def issue(self) -> None:
        today = self.today
        invoice_id, net, vat, gross = next(self.drafts)
        self.begin()
        (seq,) = self.run(FLOOR_COUNTER, {"shop": self.shop_id, "year": today.year}).fetchone()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        number = f"INV-{today.year}-{seq:06d}"
        self.run(
            FLOOR_ISSUE,
            {
                "number": number, "year": today.year, "seq": seq, "today": today,
                "due": today + dt.timedelta(days=14), "seller": self.seller,
                "buyer": json.dumps({"name": "Jansen"}), "requirements": "{}", "net": net,
                "vat": vat, "gross": gross, "now": now, "id": invoice_id, "shop": self.shop_id,
            },
        )  # fmt: skip
        (last,) = self.run(FLOOR_LAST_SEQ).fetchone()
        device_seq, prev = self.run(
            FLOOR_DEVICE_END, {"shop": self.shop_id, "device": audit.LOCAL_DEVICE}
        ).fetchone()
        digest = hashlib.sha256(f"{number}{self.seller}{net}{vat}{gross}".encode()).hexdigest()
        event = SimpleNamespace(
            seq=last + 1, shop_id=self.shop_id, id=str(uuid.uuid4()),
            device_id=audit.LOCAL_DEVICE, device_seq=device_seq + 1,
            schema_version=audit.SCHEMA_VERSION, at=now, actor="bench", action="invoice.issue",
            entity="invoice", entity_id=invoice_id,
            state=audit.canonical({"number": number, "gross_minor": gross, "digest": digest}),
            prev_hash=prev,
        )  # fmt: skip
        event.hash = audit.event_hash_v2(prev, cast(Any, event))
        self.run(FLOOR_EVENT, vars(event))
        self.commit()


class SqliteFloor(FloorIssuer):
    """The floor with raw sqlite3 and the app's PRAGMAs, on a backup-API copy of the file."""

    name = "bare sqlite3"

    def copy(self, source: Path | str, workdir: Path) -> Path:
        copy = workdir / "floor.sqlite"
        with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
            original.backup(target)
        original.close()
        target.close()
        return copy

    def connect(self, target: Path | str) -> None:
        self.plain = sqlite3.connect(target, isolation_level=None)
        for pragma in FLOOR_PRAGMAS:
            self.plain.execute(pragma)

    def run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        # Stored as SQLAlchemy stores them in SQLite: ISO text.
        values = {
            key: value.isoformat(" ") if isinstance(value, dt.datetime)
            else value.isoformat() if isinstance(value, dt.date) else value
            for key, value in (params or {}).items()
        }  # fmt: skip
        return self.plain.execute(sql, values)

    def begin(self) -> None:
        self.plain.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.plain.execute("COMMIT")

    def close(self) -> None:
        self.plain.close()


def conninfo(url: str, database: str | None = None) -> str:
    """psycopg's connection string for a SQLAlchemy URL (of another database on its server)."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


class PostgresFloor(FloorIssuer):
    """The floor with plain psycopg (READ COMMITTED, synchronous_commit as the server has it:
    on by default), taking the app's advisory write lock first, on a copy of the database
    (`CREATE DATABASE <name>_floor TEMPLATE <name>`, dropped at close)."""

    name = "bare psycopg"

    def __init__(self, source: Path | str, workdir: Path, runs: int) -> None:
        super().__init__(source, workdir, runs)
        self.plain.commit()  # the drafts' totals were read: no transaction left open

    def copy(self, source: Path | str, workdir: Path) -> str:
        import psycopg

        self.source = str(source)
        original = make_url(self.source).database
        self.copy_name = f"{original}_floor"
        with psycopg.connect(conninfo(self.source, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')
            for attempt in range(30):
                try:
                    admin.execute(
                        f'CREATE DATABASE "{self.copy_name}" TEMPLATE "{original}" '
                        "STRATEGY FILE_COPY"
                    )
                    break
                except psycopg.errors.ObjectInUse:  # autovacuum at work on the original
                    if attempt == 29:
                        raise
                    time.sleep(1)
        return make_url(self.source).set(database=self.copy_name).render_as_string(False)

    def connect(self, target: Path | str) -> None:
        import psycopg

        self.plain = psycopg.connect(conninfo(str(target)))
        self.statements: dict[str, str] = {}
        row = self.plain.execute("SHOW synchronous_commit").fetchone()
        if row is None or row[0] != "on":
            raise SystemExit(f"the floor needs synchronous_commit on, not {row}")
        self.plain.commit()

    def run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        if sql not in self.statements:
            self.statements[sql] = re.sub(r":(\w+)", r"%(\1)s", sql)
        return self.plain.execute(self.statements[sql], params)

    def begin(self) -> None:
        self.plain.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def commit(self) -> None:
        self.plain.commit()

    def close(self) -> None:
        import psycopg

        self.plain.close()
        with psycopg.connect(conninfo(self.source, "postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}" WITH (FORCE)')


def issue_latency(
    svc: Services, target: Path | str, runs: int, rounds: int = 6
) -> tuple[str, tuple[float, float], tuple[float, float]]:
    """The floor's name and (p50, p95) of issuing through the services and of the floor on a
    copy of the same store, in alternating rounds so both see the same load on a shared
    machine."""
    on_server = is_url(target)
    if on_server:
        svc.db.engine.dispose()  # a database with open sessions cannot be a template
    workdir = Path(tempfile.gettempdir()) if on_server else Path(target).parent
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        floor = (PostgresFloor if on_server else SqliteFloor)(target, Path(tmp), runs)
        samples: tuple[list[float], list[float]] = ([], [])
        try:
            drafts = iter(make_drafts(svc, runs))
            for _ in range(rounds):
                samples[0].extend(
                    raw_samples(lambda: svc.invoices.issue(next(drafts)), runs // rounds)
                )
                samples[1].extend(raw_samples(floor.issue, runs // rounds))
        finally:
            floor.close()
    return floor.name, percentiles(samples[0]), percentiles(samples[1])


def measure(
    target: Path | str, label: str, rows: list[tuple[str, str, str, str]], issue_only: bool = False
) -> None:
    with open_services(target) as svc:
        year = dt.date.today().year - 1
        cases: list[tuple[str, Callable[[], object], str]] = [
            ("page of 50, status open, by date", lambda: svc.invoices.list(status="open"), "20"),
            ("page of 50, status paid, by date", lambda: svc.invoices.list(status="paid"), "20"),
            ("page of 50, status overdue, by date",
             lambda: svc.invoices.list(status="overdue"), "20"),
            ("search customer name 'Visser'", lambda: svc.invoices.list(search="Visser"), "50"),
            ("search invoice number", lambda: svc.invoices.list(search=f"INV-{year}-0001"), "50"),
            (f"VAT summary {year}",
             lambda: svc.reports.vat_summary(dt.date(year, 1, 1), dt.date(year, 12, 31)), "500"),
            ("ageing", svc.reports.aging, "500"),
            ("dashboard", svc.reports.dashboard, ""),
        ]  # fmt: skip
        name, (p50, p95), (floor50, floor95) = issue_latency(svc, target, 120)
        floor = f"{floor50:.2f} / {floor95:.2f}"
        rows.append((label, f"floor: {name} issue transaction", floor, ""))
        rows.append((label, "issue an invoice (5 lines)", f"{p50:.2f} / {p95:.2f}", "p50 ≤ 5"))
        rows.append((label, "issue p50 / floor p50", f"{p50 / floor50:.1f}x", "≤ 5x"))
        if issue_only:
            return
        for name, call, target in cases:
            p50, p95 = timed(call, 15)
            rows.append((label, name, f"{p50:.1f} / {p95:.1f}", f"≤ {target}" if target else ""))


def invoices_in(url: str) -> int:
    with open_services(url) as svc, svc.db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM invoices").scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Reuse (or create) this store.")
    parser.add_argument(
        "--database-url",
        help="Measure this PostgreSQL database (postgresql+psycopg://...) instead of SQLite "
        "files: built with --invoices if it holds none, reused otherwise.",
    )
    parser.add_argument("--issue-only", action="store_true", help="Only the issuing rows.")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    sizes = []
    if args.database_url:
        url = args.database_url
        if not is_url(url) or make_url(url).get_backend_name() != "postgresql":
            parser.error("--database-url takes a postgresql+psycopg:// URL")
        if invoices_in(url) == 0:
            seconds = build(url, args.invoices)
            print(f"built {args.invoices:,} invoices in {seconds:.0f} s")
        label = f"{invoices_in(url):,} invoices, PostgreSQL"
        measure(url, label, rows, args.issue_only)
        sizes.append((label, size_of(url)))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty.sqlite"
            build(empty, 0)
            measure(empty, "empty store", rows, args.issue_only)
            path = args.db or Path(tmp) / "big.sqlite"
            if not path.exists():
                seconds = build(path, args.invoices)
                print(f"built {args.invoices:,} invoices in {seconds:.0f} s")
            measure(path, f"{args.invoices:,} invoices", rows, args.issue_only)
            sizes.append((f"{args.invoices:,} invoices", size_of(path)))
    width = max(18, *(len(store) + 1 for store, *_ in rows))
    print(f"{'store':<{width}} {'measure':<38} {'ms p50 / p95':>16}  target (ms)")
    for store, name, result, target in rows:
        print(f"{store:<{width}} {name:<38} {result:>16}  {target}")
    for store, size in sizes:
        print(f"{store}: {size / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
