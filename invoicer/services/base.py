"""What every service shares: the database and the service context (actor, clock, settings)."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Self

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Problem, ValidationError
from invoicer.services.context import ServiceContext
from invoicer.store.database import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_PAGE = 1000  # rows one list call returns at most
MAX_OFFSET = 1_000_000_000


def check_paging(offset: object, limit: object) -> tuple[int, int]:
    """A list's offset and limit as whole numbers in range, or every problem at once
    (SQLite itself only takes 64-bit numbers: a bigger one would crash the query)."""
    problems = []
    for name, value, low, high in (
        ("offset", offset, 0, MAX_OFFSET),
        ("limit", limit, 1, MAX_PAGE),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                Problem(
                    name,
                    "out_of_range",
                    f"{name.capitalize()} must be a whole number from {low:,} to {high:,}.",
                )
            )
    if problems:
        raise ValidationError(problems)
    return int(offset), int(limit)  # type: ignore[call-overload]


class Service:
    _joined: Session | None = None

    def __init__(self, db: Database, ctx: ServiceContext) -> None:
        self.db = db
        self.ctx = ctx

    def joined(self, session: Session) -> Self:
        """This service working inside a caller's write transaction (which commits or rolls
        back everything together): a recurring period's draft, lines, issue and run row."""
        twin = copy.copy(self)
        twin._joined = session
        return twin

    def today(self) -> dt.date:
        return self.ctx.clock.today()

    def now(self) -> dt.datetime:
        """Now as the store keeps timestamps (naive UTC), by the context's clock."""
        return self.ctx.stored_now()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        """A read transaction that sees the context's shop (None: the file's one shop)."""
        if self._joined is not None:
            yield self._joined
            return
        with self.db.read(shop_id=self.ctx.shop_id) as session:
            yield session

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """A write transaction for the context's shop whose audit events are by the context's
        actor and device, at the context's clock."""
        if self._joined is not None:
            yield self._joined
            return
        with self.db.write(writer=self.ctx.writer(), shop_id=self.ctx.shop_id) as session:
            yield session

    @staticmethod
    def user_locale(session: Session) -> str:
        """The Babel locale of the shop's language: how the user writes numbers."""
        from sqlalchemy import select

        from invoicer.store import schema

        return locale_for(session.execute(select(schema.Shop.language)).scalar())
