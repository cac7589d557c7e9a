"""A separate process that runs the recurring catch-up on a database:
`python -m tests.services.recurring_runner DB YYYY-MM-DD GO_FILE`. It waits for GO_FILE to
exist (so that several start at once), then prints each made period as `template index`."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from invoicer.services.app import open_services
from invoicer.services.recurring.catch_up import run_due


def main(path: str, day: str, go: str) -> None:
    today = dt.date.fromisoformat(day)
    with open_services(path, today=lambda: today) as svc:
        deadline = time.monotonic() + 60
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        report = run_due(svc)
        for made in report.made:
            sys.stdout.write(f"{made.template_id} {made.period_index} {made.number}\n")
        for failed in report.failed:
            sys.stdout.write(f"FAILED {failed.reason}\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
