"""Time to the first useful TUI screen on a big database (target: <= 1 s with 100,000 invoices).

    .venv/bin/python bench/tui_bench.py [--invoices 100000] [--db PATH] [--runs 5]

Builds the database once (bench/build_store.py when present, else the demo generator), then
starts a fresh Python process per run that starts the app the way `invoicer tui` does
(ui_tui.launch: the dashboard from a first look into the file, the services opening in the
background after it), runs it headless at 100x30 and stops the clock when the dashboard shows
its figures. It also times when the services are open, the invoices list's first page after
F3 (pressed once they are), and paging.
Prints a table; this is not a test. The CPU seconds the process used until the dashboard was
shown are printed too: on a machine shared with other work the wall time grows with the load,
the CPU time much less (it is what a quiet machine would need, roughly).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, time
t_start = float(sys.argv[2])
from pathlib import Path
from ui_tui.launch import tui_app
from ui_tui.messages import ServiceCallSucceeded
t_import = time.time()
marks = {}
def hook(message):
    if isinstance(message, ServiceCallSucceeded):
        marks.setdefault(message.purpose, []).append(time.time())
def figures_shown(app):
    if type(app.screen).__name__ != "DashboardScreen":
        return False
    widgets = app.screen.query("#revenue")
    return bool(widgets) and str(widgets.first().render()) != "…"
async def main():
    # The same path as `invoicer tui`: a first look draws the dashboard, the services open after.
    with tui_app(Path(sys.argv[1])) as app:
        async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
            while not figures_shown(app):
                await asyncio.sleep(0.002)
            first_screen = time.time()
            first_cpu = time.process_time()  # this process's CPU seconds, all threads
            background = app._services
            while not getattr(background, "ready", True):
                await asyncio.sleep(0.005)
            services_ready = time.time()
            t0 = time.time()
            await pilot.press("f3")
            while "page" not in marks:
                await asyncio.sleep(0.005)
            await pilot.pause()
            list_first = time.time() - t0
            pages = []
            for _ in range(5):
                n = len(marks["page"])
                t0 = time.time()
                await pilot.press("pagedown")
                while len(marks["page"]) == n:
                    await asyncio.sleep(0.005)
                await pilot.pause()
                pages.append(time.time() - t0)
            pager = str(app.screen.query_one("#pager").render())
    print(json.dumps({
        "imports": t_import - t_start, "first_screen": first_screen - t_start,
        "first_screen_cpu": first_cpu, "services_ready": services_ready - t_start,
        "list_first_page": list_first, "page_down": sorted(pages)[len(pages) // 2],
        "pager": pager,
    }))
asyncio.run(main())
"""


def build(db: Path, invoices: int) -> float:
    started = time.perf_counter()
    builder = ROOT / "bench" / "build_store.py"
    if builder.exists():
        subprocess.run(
            [sys.executable, str(builder), str(db), "--invoices", str(invoices)],
            check=True,
            cwd=ROOT,
        )
    else:
        from invoicer.services.app import open_services
        from invoicer.services.demo import fill_demo

        with open_services(db) as svc:
            fill_demo(svc, invoices=invoices, seed=1)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "bench.sqlite"
    if not db.exists():
        print(f"building {args.invoices:,} invoices in {db} …", flush=True)
        print(f"built in {build(db, args.invoices):.1f} s", flush=True)
    results = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), repr(time.time())],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"\nTUI on {db.stat().st_size / 1e6:.0f} MB database; {args.runs} runs, median (min-max)")
    print(f"pager after F3: {results[-1]['pager']}")
    print(f"{'measure':<34}{'median':>10}{'min':>10}{'max':>10}")
    for key, label in [
        ("imports", "process start to imports done"),
        ("first_screen", "process start to dashboard figures"),
        ("first_screen_cpu", "  CPU time used by then"),
        ("services_ready", "process start to services open"),
        ("list_first_page", "F3 to first invoice page"),
        ("page_down", "PgDn to next page"),
    ]:
        values = [r[key] for r in results]
        print(
            f"{label:<34}{statistics.median(values) * 1000:>8.0f}ms"
            f"{min(values) * 1000:>8.0f}ms{max(values) * 1000:>8.0f}ms"
        )


if __name__ == "__main__":
    main()
