"""Store benchmarks at scale: `python bench/store_bench.py [--invoices 100000] [--db FILE]`.

Builds (or reuses) a store with bench/build_store.py and measures what a merchant waits for:
issuing, a page of the invoice list, searching, the yearly VAT summary and the ageing
report. Prints a table (median and p95 of repeated runs). Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_store import build

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewDraft, NewLine
from invoicer.store import audit


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


# The floor: what issuing must write, in one bare sqlite3 transaction with the app's PRAGMAs.
FLOOR_PRAGMAS = (
    "PRAGMA busy_timeout = 15000",
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
)
FLOOR_ISSUE = """
    UPDATE invoices SET number = :number, series = 'invoice', year = :year, seq = :seq,
        issue_date = :today, supply_date = :today, due_days = 14, due_date = :due,
        seller = :seller, buyer = :buyer, requirements = :requirements,
        net_minor = :net, vat_minor = :vat, gross_minor = :gross, eu_b2c_eur_minor = 0,
        issued_at = :now, updated_at = :now
    WHERE shop_id = :shop AND id = :id
"""


class FloorIssuer:
    """Issuing's physical floor on a copy of a store: drafts made by the services, then each
    issued by hand in a bare BEGIN IMMEDIATE ... COMMIT (synchronous=FULL, raw sqlite3): the
    counter upsert (one statement), the invoice row set to issued (number, dates, snapshots, totals:
    the draft's, already decided, so the VAT day-total trigger adds its groups) and the audit
    event with its hash chained in Python (the audit-head trigger moves). No other reads than
    the chain's end and the counter."""

    def __init__(self, path: Path, copy: Path, runs: int) -> None:
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        target.close()
        with open_services(copy) as svc:
            drafts = make_drafts(svc, runs)
        self.plain = sqlite3.connect(copy, isolation_level=None)
        for pragma in FLOOR_PRAGMAS:
            self.plain.execute(pragma)
        (self.shop_id,) = self.plain.execute("SELECT id FROM shops").fetchone()
        shop = self.plain.execute("SELECT * FROM shop").fetchone()
        self.seller = json.dumps(list(shop), default=str)
        self.drafts = iter(
            self.plain.execute(
                "SELECT id, net_minor, vat_minor, gross_minor FROM invoices WHERE id = ?",
                (id_,),
            ).fetchone()
            for id_ in drafts
        )
        self.today = dt.date.today()

    def issue(self) -> None:
        plain, today = self.plain, self.today
        invoice_id, net, vat, gross = next(self.drafts)
        plain.execute("BEGIN IMMEDIATE")
        (seq,) = plain.execute(
            "INSERT INTO number_series (shop_id, series, year, next_seq) "
            "VALUES (?, 'invoice', ?, 2) ON CONFLICT (shop_id, series, year) "
            "DO UPDATE SET next_seq = next_seq + 1 RETURNING next_seq - 1",
            (self.shop_id, today.year),
        ).fetchone()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        number = f"INV-{today.year}-{seq:06d}"
        plain.execute(
            FLOOR_ISSUE,
            {
                "number": number, "year": today.year, "seq": seq, "today": today.isoformat(),
                "due": (today + dt.timedelta(days=14)).isoformat(), "seller": self.seller,
                "buyer": json.dumps({"name": "Jansen"}), "requirements": "{}", "net": net,
                "vat": vat, "gross": gross, "now": now.isoformat(" "), "id": invoice_id,
                "shop": self.shop_id,
            },
        )  # fmt: skip
        (prev,) = plain.execute(
            "SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        digest = hashlib.sha256(f"{number}{self.seller}{net}{vat}{gross}".encode()).hexdigest()
        state = audit.canonical({"number": number, "gross_minor": gross, "digest": digest})
        event = (now, "bench", "invoice.issue", "invoice", invoice_id, state)
        plain.execute(
            "INSERT INTO audit_events (shop_id, at, actor, action, entity, entity_id, state, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.shop_id, now.isoformat(" "), *event[1:], prev, audit.event_hash(prev, *event)),
        )
        plain.execute("COMMIT")


def issue_latency(
    svc: Services, path: Path, runs: int, rounds: int = 6
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(p50, p95) of issuing through the services and of the floor on a copy of the same
    store, in alternating rounds so both see the same load on a shared machine."""
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        floor = FloorIssuer(path, Path(tmp) / "floor.sqlite", runs)
        drafts = iter(make_drafts(svc, runs))
        samples: tuple[list[float], list[float]] = ([], [])
        try:
            for _ in range(rounds):
                samples[0].extend(
                    raw_samples(lambda: svc.invoices.issue(next(drafts)), runs // rounds)
                )
                samples[1].extend(raw_samples(floor.issue, runs // rounds))
        finally:
            floor.plain.close()
    return percentiles(samples[0]), percentiles(samples[1])


def measure(
    path: Path, label: str, rows: list[tuple[str, str, str, str]], issue_only: bool = False
) -> None:
    with open_services(path) as svc:
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
        (p50, p95), (floor50, floor95) = issue_latency(svc, path, 120)
        floor = f"{floor50:.2f} / {floor95:.2f}"
        rows.append((label, "floor: bare sqlite3 issue transaction", floor, ""))
        rows.append((label, "issue an invoice (5 lines)", f"{p50:.2f} / {p95:.2f}", "p50 ≤ 5"))
        rows.append((label, "issue p50 / floor p50", f"{p50 / floor50:.1f}x", "≤ 5x"))
        if issue_only:
            return
        for name, call, target in cases:
            p50, p95 = timed(call, 15)
            rows.append((label, name, f"{p50:.1f} / {p95:.1f}", f"≤ {target}" if target else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Reuse (or create) this store.")
    parser.add_argument("--issue-only", action="store_true", help="Only the issuing rows.")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.sqlite"
        build(empty, 0)
        measure(empty, "empty store", rows, args.issue_only)
        path = args.db or Path(tmp) / "big.sqlite"
        if not path.exists():
            seconds = build(path, args.invoices)
            print(f"built {args.invoices:,} invoices in {seconds:.0f} s")
        measure(path, f"{args.invoices:,} invoices", rows, args.issue_only)
    print(f"{'store':<18} {'measure':<38} {'ms p50 / p95':>16}  target (ms)")
    for store, name, result, target in rows:
        print(f"{store:<18} {name:<38} {result:>16}  {target}")


if __name__ == "__main__":
    main()
