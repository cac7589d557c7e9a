"""Time from `invoicer gui` process start to the main window on screen.

    python bench/gui_bench.py DB [--runs 5]

DB should be a large store (bench/build_store.py DB --invoices 100000). Each run is a fresh
process (`python -m invoicer.cli --db DB gui --smoke`, offscreen Qt) timed from spawn to its
"window shown" line, which is printed after show() and the first paint. The dashboard's
figures load afterwards in a worker thread; the time until they are in is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def one_run(db: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from invoicer.cli import main; main()",
            "--db",
            str(db),
            "gui",
            "--smoke",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if line.startswith("window shown"):
            shown = time.perf_counter() - start
    proc.wait()
    if shown is None or proc.returncode != 0:
        raise SystemExit(f"gui --smoke failed (exit {proc.returncode})")
    return shown


def dashboard_time(db: Path) -> float:
    from invoicer.services.app import open_services
    from ui_qt.windows.dashboard_page import load

    with open_services(db) as svc:
        start = time.perf_counter()
        load(svc)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one_run(args.db)  # warm the OS file cache
    times = [one_run(args.db) for _ in range(args.runs)]
    print(
        f"start -> window shown: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f}, max {max(times):.3f} ({args.runs} runs)"
    )
    print(f"dashboard data (worker thread, after the window): {dashboard_time(args.db):.3f} s")


if __name__ == "__main__":
    main()
