"""Time to the first screen of the real `invoicer tui` in a real terminal (tmux).

    .venv/bin/python bench/tui_tmux.py --db STORE.sqlite [--runs 5]

Starts `invoicer --db STORE tui` in a private tmux server at 100x30 and reads the pane
(capture-pane) every 10 ms until the dashboard's revenue figure shows an amount. This is the
whole path a user waits for: the interpreter, the CLI, the first look, Textual's driver and
the terminal. Polling costs a little CPU of its own. Prints a table; this is not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AMOUNT = re.compile(r"Revenue, last 30 days.*\n.*\d[\d,]*\.\d\d [A-Z]{3}")


def one_run(db: Path, socket: str) -> float:
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    invoicer = Path(sys.executable).with_name("invoicer")
    started = time.perf_counter()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", f"{invoicer} tui"],
        check=True,
        env={**os.environ, "TERM": "xterm-256color", "INVOICER_DB": str(db)},
        capture_output=True,
    )
    try:
        while time.perf_counter() - started < 20:
            pane = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=False
            ).stdout
            if AMOUNT.search(pane):
                return time.perf_counter() - started
            time.sleep(0.01)
        raise SystemExit(f"no dashboard after 20 s; the pane shows:\n{pane}")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # A private server per run: a server still shutting down would refuse the next session.
    sockets = [f"invoicer-bench-{os.getpid()}-{n}" for n in range(args.runs)]
    times = [one_run(args.db.resolve(), socket) for socket in sockets]
    print(f"`invoicer tui` in tmux on {args.db.stat().st_size / 1e6:.0f} MB; {args.runs} runs")
    print(
        f"start to dashboard figures: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


if __name__ == "__main__":
    main()
