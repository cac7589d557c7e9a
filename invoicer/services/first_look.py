"""A first look into the database before the services are open: the shop's name and the
dashboard, read with the standard library alone.

Opening the services imports SQLAlchemy and every use case (~0.4 s of a 2-core machine's
time); the terminal UI draws its first screen from this look instead and opens the services
in the background (ui_tui/background_services.py). Anything unusual (no file yet, another
application's file, a schema that needs migrating, no shop profile, a read error) gives None,
and the caller opens the services the normal way, with its checks and messages.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from invoicer.domain.amounts import DEFAULT_LOCALE, locale_for
from invoicer.domain.errors import InvoicerError
from invoicer.services import views
from invoicer.services.context import Clock
from invoicer.services.dashboard import read_dashboard
from invoicer.store.file_checks import connect_read_only, is_current


@dataclass(frozen=True, slots=True)
class FirstLook:
    shop_name: str
    dashboard: views.Dashboard
    locale: str = DEFAULT_LOCALE  # how the shop's language writes numbers


def first_look(path: Path, clock: Clock) -> FirstLook | None:
    """The look by `clock` (the one the services will be opened with)."""
    path = path.expanduser()
    try:
        if not is_current(path):
            return None
        with contextlib.closing(connect_read_only(path)) as db:
            db.execute("BEGIN")  # one snapshot for the name and every figure
            shop = db.execute(
                "SELECT trading_name, legal_name, language FROM shop LIMIT 1"
            ).fetchone()
            if shop is None:
                return None  # not set up: the set-up form comes first
            now = clock.now().replace(tzinfo=None)  # naive UTC, as the store keeps it
            dashboard = read_dashboard(db, clock.today(), now)
    except (OSError, sqlite3.Error, InvoicerError):
        return None
    return FirstLook(shop_name=shop[0] or shop[1], dashboard=dashboard, locale=locale_for(shop[2]))
