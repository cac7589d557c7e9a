"""Store benchmarks at scale: `python bench/store_bench.py [--invoices 100000] [--db FILE]`.

Builds (or reuses) a store with bench/build_store.py and measures what a merchant waits for:
issuing, a page of the invoice list, searching, the yearly VAT summary and the ageing
report. Prints a table (median and p95 of repeated runs). Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
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


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def issue_latency(svc: Services, runs: int) -> tuple[float, float]:
    customer = svc.customers.list(search="Jansen", limit=1).items[0].id
    product = svc.products.list(limit=1).items[0].id
    drafts = []
    for _ in range(runs):
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        for quantity in ("1", "2", "3", "4", "5"):
            svc.invoices.add_line(draft.id, NewLine(product_id=product, quantity=quantity))
        drafts.append(draft.id)
    it = iter(drafts)
    return timed(lambda: svc.invoices.issue(next(it)), runs)


def measure(path: Path, label: str, rows: list[tuple[str, str, str, str]]) -> None:
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
        p50, p95 = issue_latency(svc, 60)
        rows.append((label, "issue an invoice (5 lines)", f"{p50:.1f} / {p95:.1f}", "p50 ≤ 5"))
        for name, call, target in cases:
            p50, p95 = timed(call, 15)
            rows.append((label, name, f"{p50:.1f} / {p95:.1f}", f"≤ {target}" if target else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Reuse (or create) this store.")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.sqlite"
        build(empty, 0)
        measure(empty, "empty store", rows)
        path = args.db or Path(tmp) / "big.sqlite"
        if not path.exists():
            seconds = build(path, args.invoices)
            print(f"built {args.invoices:,} invoices in {seconds:.0f} s")
        measure(path, f"{args.invoices:,} invoices", rows)
    print(f"{'store':<18} {'measure':<38} {'ms p50 / p95':>16}  target (ms)")
    for store, name, result, target in rows:
        print(f"{store:<18} {name:<38} {result:>16}  {target}")


if __name__ == "__main__":
    main()
