"""What every service shares: the database and a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from invoicer.store.database import Database


class Service:
    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.today = today
