"""PDF benchmarks: `python bench/pdf_bench.py [--batch 2000]`.

One invoice rendered in process after warm-up (median of 50), then a batch rendered with
`invoicer invoice pdf --all` semantics on all cores (bench/build_store.py data). Prints a
table. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_store import build

from invoicer.documents.pdf import render_pdf
from invoicer.services.app import open_services
from invoicer.services.documents import document, render_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pdf.sqlite"
        build(path, args.batch)
        with open_services(path) as svc:
            ids = [i.id for i in svc.invoices.list(limit=args.batch, order="date_asc").items]
            doc = document(svc, ids[0])
            render_pdf(doc)
            samples = []
            for _ in range(50):
                start = time.perf_counter()
                render_pdf(doc)
                samples.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            render_batch(svc, ids, Path(tmp) / "out")
            batch = time.perf_counter() - start
    per_10k = batch / len(ids) * 10_000
    print(f"{'measure':<44} {'result':>14}  target")
    one = statistics.median(samples)
    print(f"{'one invoice, in process, after warm-up':<44} {one:>11.1f} ms  ≤ 40 ms")
    print(f"{f'batch of {len(ids):,} on all cores':<44} {batch:>12.1f} s")
    print(f"{'  extrapolated to 10,000':<44} {per_10k / 60:>10.1f} min  ≤ 3 min")


if __name__ == "__main__":
    main()
