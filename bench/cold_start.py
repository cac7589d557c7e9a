"""Start-up of the packaged bundles against the same commands run from source.

    .venv/bin/python bench/cold_start.py [--runs 15] [--dist dist] [--invoices 200]

Three measures, each a fresh process (one warm-up run first, so the OS file cache is warm
for both): `invoicer --version` until it exits; the terminal UI in a 100x30 pseudo-terminal
until the dashboard's latest invoices are drawn; the desktop app (`gui --smoke`, offscreen
Qt) until its "window shown" line. Source is `.venv/bin/invoicer`; the bundles are
dist/invoicer/invoicer and dist/invoicer-gui/invoicer-gui (packaging/build.sh). Runs of source
and bundle alternate so that both see the same machine load. The database is a demo shop
(`invoicer demo`) in a temporary folder, with HOME and the XDG dirs pointing there too.
Prints medians, the bundle/source ratio and the load average. Not a test.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(sys.executable).parent / "invoicer"
# Drawn by the dashboard only once its figures are in (invoice numbers in "Latest invoices").
TUI_MARKER = b"INV-"


def cli_version(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*command, "--version"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def tui_first_screen(command: list[str], env: dict[str, str]) -> float:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "tui"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**env, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(follower)
    seen, shown = b"", None
    try:
        while shown is None and time.perf_counter() - start < 60:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    seen = seen[-16:] + os.read(leader, 1 << 16)
                except OSError:  # the terminal UI exited
                    break
                if TUI_MARKER in seen:
                    shown = time.perf_counter() - start
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(leader)
    if shown is None:
        raise SystemExit(f"{' '.join(command)} tui: the dashboard never showed its invoices")
    return shown


def gui_window_shown(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--smoke"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if line.startswith("window shown") and shown is None:
            shown = time.perf_counter() - start
    proc.wait()
    if shown is None or proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} --smoke failed (exit {proc.returncode})")
    return shown


Measure = Callable[[list[str], dict[str, str]], float]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--invoices", type=int, default=200, help="in the demo shop")
    args = parser.parse_args()
    cli, gui = args.dist / "invoicer" / "invoicer", args.dist / "invoicer-gui" / "invoicer-gui"
    cases: list[tuple[str, Measure, list[str], list[str]]] = [
        ("cli --version", cli_version, [str(SOURCE)], [str(cli)]),
        ("tui first screen", tui_first_screen, [str(SOURCE)], [str(cli)]),
        ("gui window shown", gui_window_shown, [str(SOURCE), "gui"], [str(gui)]),
    ]
    with tempfile.TemporaryDirectory(prefix="cold-start-") as folder:
        home = Path(folder)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "INVOICER_DB": str(home / "shop.sqlite"),
        }
        subprocess.run(
            [str(SOURCE), "demo", "--invoices", str(args.invoices)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        load_before = os.getloadavg()
        print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
        print(f"{'measure (s)':<18}{'source':>22}{'bundle':>22}{'ratio':>8}   median (min-max)")
        for label, measure, source, bundle in cases:
            if not Path(bundle[0]).exists():
                print(f"{label:<18}  (no bundle {bundle[0]}; run packaging/build.sh)")
                continue
            measure(source, env), measure(bundle, env)  # warm-up: file cache, migrations
            times: dict[str, list[float]] = {"source": [], "bundle": []}
            for _ in range(args.runs):
                times["source"].append(measure(source, env))
                times["bundle"].append(measure(bundle, env))
            cells = {
                key: f"{statistics.median(v):.3f} ({min(v):.2f}-{max(v):.2f})"
                for key, v in times.items()
            }
            ratio = statistics.median(times["bundle"]) / statistics.median(times["source"])
            print(f"{label:<18}{cells['source']:>22}{cells['bundle']:>22}{ratio:>7.2f}x")
        load_after = os.getloadavg()
        print(f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}; {args.runs} runs")


if __name__ == "__main__":
    main()
