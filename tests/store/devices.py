"""Acting as another device of the shop, and reading a store table by table, for the event
log tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from invoicer.services.app import Services
from invoicer.store.database import Database
from invoicer.store.schema import Base


@dataclass(frozen=True)
class _InstantClock:
    """A clock whose instant comes from a callable (a zone-aware time, for the tests)."""

    instant: Callable[[], dt.datetime]

    def today(self) -> dt.date:
        return self.instant().date()

    def now(self) -> dt.datetime:
        return self.instant()


@contextlib.contextmanager
def as_device(
    svc: Services,
    device_id: str,
    actor: str = "tester",
    now: Callable[[], dt.datetime] | None = None,
) -> Iterator[None]:
    """Every write of `svc` in the block is by `device_id` (the services' context's device)."""
    before = svc.ctx
    ctx = replace(before, device_id=device_id, actor=actor)
    if now is not None:
        ctx = replace(ctx, clock=_InstantClock(now))
    svc.use_context(ctx)
    try:
        yield
    finally:
        svc.use_context(before)


def replay_into(source: Database, target: Database) -> int:
    from invoicer.store.replay import apply_events, events_of

    with source.read() as reading, target.write() as writing:
        return apply_events(writing, events_of(reading))


def json_columns() -> set[tuple[str, str]]:
    from sqlalchemy import JSON

    return {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, JSON)
    }


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a fixed order. JSON columns compare as values: the order of
    keys in their text is not data (a payload's JSON is canonical, sorted)."""
    as_json = json_columns()
    connection = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for name in names:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_xinfo({name})")]
            rows = connection.execute(f"SELECT * FROM {name}").fetchall()
            decoded = [
                tuple(
                    json.loads(value)
                    if (name, column) in as_json and isinstance(value, str)
                    else "<the store's shop>"
                    if column == "shop_id"  # each store's own (the feed is one shop's)
                    else value
                    for column, value in zip(columns, row, strict=True)
                )
                for row in rows
            ]
            out[name] = sorted(decoded, key=repr)
        return out
    finally:
        connection.close()
