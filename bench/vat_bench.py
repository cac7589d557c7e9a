"""VAT engine benchmarks: `invoicer --help` cold start and 20-line quotes per second.

    .venv/bin/python bench/vat_bench.py

Prints a table; the figures go in docs/benchmarks.md. Not a test: timings vary by machine.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from invoicer.domain.vat.engine import quote
from invoicer.domain.vat.model import (
    BuyerVat,
    LineSpec,
    QuoteRequest,
    RateClass,
    SellerVat,
    SupplyKind,
)

ROOT = Path(__file__).resolve().parent.parent
INVOICER = ROOT / ".venv" / "bin" / "invoicer"


def cold_start(args: list[str], runs: int = 15) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(INVOICER), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def twenty_lines(buyer: BuyerVat) -> QuoteRequest:
    lines = tuple(
        LineSpec(
            Decimal(i % 5 + 1),
            Decimal("12.34") + i,
            RateClass.REDUCED if i % 3 == 0 else RateClass.STANDARD,
            SupplyKind.GOODS if i % 2 else SupplyKind.ELECTRONIC_SERVICES,
        )
        for i in range(20)
    )
    return QuoteRequest(
        SellerVat("NL", "NL004495445B01"),
        buyer,
        dt.date(2026, 3, 1),
        "EUR",
        lines,
        eu_b2c_sales_current_year=Decimal(20000),
    )


def quotes_per_second(request: QuoteRequest, seconds: float = 2.0) -> float:
    quote(request)  # warm the rate table and caches
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            quote(request)
        count += 100
    return count / elapsed


def main() -> None:
    rows = []
    median, best = cold_start(["--help"])
    rows.append(
        (
            "invoicer --help cold start (median / best of 15)",
            f"{median:.3f} s / {best:.3f} s",
            "≤ 0.3 s",
        )
    )
    median, best = cold_start(["--version"])
    rows.append(
        (
            "invoicer --version cold start (median / best of 15)",
            f"{median:.3f} s / {best:.3f} s",
            "",
        )
    )
    cases = {
        "domestic": BuyerVat("NL"),
        "B2C distance sale (OSS)": BuyerVat("DE", postcode="10115"),
        "B2B reverse charge / IC": BuyerVat("BE", vat_number="BE0403170701", vat_verified=True),
    }
    for name, buyer in cases.items():
        rate = quotes_per_second(twenty_lines(buyer))
        rows.append((f"20-line quote, {name}", f"{rate:,.0f} /s", "≥ 5,000 /s"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>22}  target")
    for name, result, target in rows:
        print(f"{name:<{width}}  {result:>22}  {target}")
    print(f"\nPython {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
