"""What every service shares: the database and a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from invoicer.domain.amounts import locale_for
from invoicer.store.database import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Service:
    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.today = today

    @staticmethod
    def user_locale(session: Session) -> str:
        """The Babel locale of the shop's language: how the user writes numbers."""
        from sqlalchemy import select

        from invoicer.store import schema

        return locale_for(session.execute(select(schema.Shop.language)).scalar())
