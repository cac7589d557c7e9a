"""PDF benchmarks: `python bench/pdf_bench.py [--batch 2000] [--jobs N]`.

One invoice rendered in process after warm-up: the same invoice again and again (median of
50), and 50 different invoices each rendered once, paid ones and unpaid ones (those carry an
EPC QR code, which is not cached across invoices). Then a batch rendered with
`invoicer invoice pdf --all` semantics on all cores (bench/build_store.py data). Wall time
and CPU time are both printed, with the machine's load, because the machine may be shared.
Prints a table. Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_store import build

from invoicer.documents.pdf import render_pdf, warm_up
from invoicer.services.app import open_services
from invoicer.services.documents import document, render_batch, statement


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def medians(samples: list[tuple[float, float]]) -> str:
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return f"{wall:>7.1f} ms wall {cpu:>6.1f} ms CPU"


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min) at start: {load()}; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pdf.sqlite"
        build(path, args.batch)
        with open_services(path) as svc:
            ids = [i.id for i in svc.invoices.list(limit=args.batch, order="date_asc").items]
            docs = [document(svc, i) for i in ids]
            warm_up()
            render_pdf(docs[0])
            same = [timed(lambda: render_pdf(docs[0])) for _ in range(50)]
            # Issued documents carry no payment state (all have the EPC QR code); the
            # "paid" samples are the paid invoices' documents as their statements show them.
            paid_ids = [i for i in ids[1:] if svc.invoices.get(i).status == "paid"][:50]
            paid = [statement(svc, i).invoice for i in paid_ids]
            unpaid = [d for d in docs[1:] if d.totals.due_minor > 0][:50]
            paid_samples = [timed(lambda d=d: render_pdf(d)) for d in paid]
            unpaid_samples = [timed(lambda d=d: render_pdf(d)) for d in unpaid]
            before = os.times()
            start = time.perf_counter()
            render_batch(svc, ids, Path(tmp) / "out", jobs=args.jobs)
            batch = time.perf_counter() - start
            after = os.times()
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system"))
    cpu += sum(getattr(after, f) - getattr(before, f) for f in ("children_user", "children_system"))
    per_10k = batch / len(ids) * 10_000
    print(f"{'measure':<52} {'result':>32}  target")
    print(f"{'one invoice, the same one again (median of 50)':<52} {medians(same)}  ≤ 40 ms")
    print(f"{f'one invoice, {len(paid)} different paid ones (median)':<52} {medians(paid_samples)}")
    label = f"one invoice, {len(unpaid)} different unpaid ones, EPC QR"
    print(f"{label:<52} {medians(unpaid_samples)}")
    print(f"{f'batch of {len(ids):,} on all cores':<52} {batch:>25.1f} s wall")
    print(f"{'  CPU time of the batch (parent + workers)':<52} {cpu:>26.1f} s CPU")
    print(f"{'  extrapolated to 10,000':<52} {per_10k / 60:>24.2f} min wall  ≤ 3 min")
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
