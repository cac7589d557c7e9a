"""Start the terminal UI on a database file the fast way: first screen first.

With an up-to-date, set-up database the dashboard is drawn from a first look into the file
(standard library only) while the services open in the background; anything else (a new
file, one to migrate, one that is not ours) opens the services first, with their checks and
messages, as every other front-end does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from invoicer.services.context import Clock, DayClock
from invoicer.services.first_look import first_look
from invoicer.services.local import SystemClock, default_db_path, local_context
from ui_tui.app import InvoicerApp
from ui_tui.background_services import BackgroundServices


@contextlib.contextmanager
def tui_app(db_path: Path | None = None, **options: Any) -> Iterator[InvoicerApp]:
    """The app on `db_path` (default: the user data dir); its services close on exit.

    An error opening the services in the background ends the app and is raised here.
    """
    path = (db_path or default_db_path()).expanduser()
    today: dt.date | None = options.get("today")
    clock: Clock = SystemClock()
    if today:  # a fixed day for tests and benches
        clock = DayClock(functools.partial(_same_day, today), clock)
    ctx = local_context(clock=clock)  # one context for the first look and the services
    look = first_look(path, ctx.clock)
    if look is None:
        from invoicer.services.app import open_services

        # (before the app takes the terminal: an upgrade of a big file takes a while)
        say = functools.partial(print, file=sys.stderr, flush=True)
        with open_services(path, ctx=ctx, on_upgrade=say) as services:
            yield InvoicerApp(services, **options)
        return
    background = BackgroundServices(path, ctx=ctx)
    try:
        yield InvoicerApp(background, first_look=look, **options)
    finally:
        background.close()
    if background.error is not None:
        raise background.error


def _same_day(day: dt.date) -> dt.date:
    return day
