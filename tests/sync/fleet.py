"""A shop's devices and a stand-in for the sync server, for the convergence tests that need no
network: each device is a real store (a SQLite file) that pushes its own events to a feed and
pulls the others' from it in the feed's order, as the sync protocol does (docs/sync.md).

`Feed` keeps what a server keeps of the protocol's rules: one list of wire events in server
order, each (device, device_seq) once (the same event again is a duplicate answering its
place, another event at a taken place is a fork, a skipped place is a gap). `Device` keeps
what a device's engine keeps: how far the feed confirmed its chain (the ack) and how far it
has read the feed (the cursor); a pulled batch and the cursor move in one write transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from invoicer.services.app import Services, open_services
from invoicer.services.context import Clock, ServiceContext
from invoicer.services.sync.conflicts import ConflictService
from invoicer.services.sync.protocol import event_from_wire, event_to_wire
from invoicer.store import schema
from invoicer.store.replay import apply_batch
from tests.store.devices import tables

# What each store keeps for itself and never travels: its migrations, its scan positions, its
# tenant row, and its side of the sync (link, acks, inbox; the server's feed tables).
OWN_TABLES = ("alembic_version", "chain_cursors", "shops")


class ShopClock:
    """The shop's calendar (a one-item list the test moves on), as one device's clock reads
    it: `skew_days` ahead (or behind) of it, at noon UTC."""

    def __init__(self, calendar: list[dt.date], skew_days: int = 0) -> None:
        self.calendar, self.skew = calendar, dt.timedelta(days=skew_days)

    def today(self) -> dt.date:
        return self.calendar[0] + self.skew

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.today(), dt.time(12), tzinfo=dt.UTC)


class Fork(AssertionError):
    """Two different events at one place of a device's chain: never in these tests."""


class Gap(AssertionError):
    """A push that skips a place of its chain: the device's engine must resend from it."""


@dataclass
class Feed:
    """The server's log of a shop, in memory: wire events in server order."""

    events: list[dict[str, Any]] = field(default_factory=list)
    hashes: dict[tuple[str, int], str] = field(default_factory=dict)

    def head(self, device_id: str) -> int:
        """The highest device_seq of the device's chain the feed has."""
        return max((seq for (d, seq) in self.hashes if d == device_id), default=0)

    def push(self, batch: list[dict[str, Any]]) -> list[str]:
        """Store a batch in order: "stored" or "duplicate" per event (Fork, Gap raised)."""
        results = []
        for wire in batch:
            place = (wire["device_id"], wire["device_seq"])
            known = self.hashes.get(place)
            if known is not None:
                if known != wire["hash"]:
                    raise Fork(f"{place} pushed with another hash")
                results.append("duplicate")
                continue
            if wire["device_seq"] != self.head(wire["device_id"]) + 1:
                raise Gap(f"{place} after {self.head(wire['device_id'])}")
            self.hashes[place] = wire["hash"]
            self.events.append(dict(wire))
            results.append("stored")
        return results

    def pull(self, cursor: int, limit: int | None = None) -> list[dict[str, Any]]:
        end = len(self.events) if limit is None else cursor + limit
        return self.events[cursor:end]


class CutOff(RuntimeError):
    """The connection (or the process) went away in the middle of applying a batch."""


@dataclass
class Device:
    """One device of the shop: its store, its chain's id, its ack and its cursor."""

    name: str
    device_id: str
    svc: Services
    acked: int = 0  # the highest device_seq of its chain the feed confirmed
    cursor: int = 0  # how many of the feed's events it has read

    @classmethod
    def open(cls, name: str, device_id: str, path: Path, clock: Clock) -> Device:
        svc = open_services(path, ctx=ServiceContext.local(clock=clock))
        svc.use_context(dataclasses.replace(svc.ctx, device_id=device_id, actor=name))
        return cls(name, device_id, svc)

    @property
    def skew(self) -> int:
        clock = self.svc.ctx.clock
        return clock.skew.days if isinstance(clock, ShopClock) else 0

    def close(self) -> None:
        self.svc.close()

    def use_clock(self, clock: Clock) -> None:
        self.svc.use_context(dataclasses.replace(self.svc.ctx, clock=clock))

    def unsent(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Its own events the feed has not confirmed, in its chain's order."""
        events = schema.AuditEvent
        query = (
            select(events)
            .where(events.device_id == self.device_id, events.device_seq > self.acked)
            .order_by(events.device_seq)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.svc.db.read() as session:
            return [event_to_wire(event) for event in session.execute(query).scalars()]

    def push(self, feed: Feed, limit: int | None = None, *, ack_lost: bool = False) -> int:
        """Push (a batch of) its unsent events; `ack_lost`: the feed stored them but the answer
        never came back (the connection cut), so they go again next time. How many stored."""
        batch = self.unsent(limit)
        results = feed.push(batch)
        if batch and not ack_lost:
            self.acked = batch[-1]["device_seq"]
        return results.count("stored")

    def apply(
        self, batch: list[dict[str, Any]], *, cut_after: int | None = None, at_once: bool = True
    ) -> int:
        """Apply a pulled batch in one write transaction, at once as the engine does
        (replay.apply_batch; a payload it cannot apply is raised: never expected here), or
        with `at_once=False` event by event (the path a batch that fails at once takes);
        `cut_after`: the transfer dies after that many events, and the transaction with it.
        How many were new here."""
        events = [event_from_wire(wire) for wire in batch]
        parts = [events] if at_once else [[event] for event in events]
        new = 0
        with self.svc.db.write() as session:
            done = 0
            for part in parts:
                if cut_after is not None and done + len(part) > cut_after:
                    apply_batch(session, part[: cut_after - done], keep_refused=False)
                    raise CutOff(f"{self.name}: cut after {cut_after} of {len(batch)} events")
                new += len(apply_batch(session, part, keep_refused=False).new)
                done += len(part)
        return new

    def pull(
        self,
        feed: Feed,
        limit: int | None = None,
        *,
        cut_after: int | None = None,
        at_once: bool = True,
    ) -> int:
        """Pull (a batch of) what the feed has past its cursor; the cursor moves only when the
        batch's transaction commits. How many events were new here."""
        batch = feed.pull(self.cursor, limit)
        applied = self.apply(batch, cut_after=cut_after, at_once=at_once)
        self.cursor += len(batch)
        return applied

    def sync(self, feed: Feed) -> None:
        self.push(feed)
        self.pull(feed)

    def conflicts(self) -> list[tuple[str, list[str]]]:
        found = ConflictService(self.svc.db, self.svc.ctx).list()
        return [(c.id, sorted(repr(v.value) for v in c.values)) for c in found]

    def event_ids(self) -> set[str]:
        with self.svc.db.read() as session:
            return set(session.execute(select(schema.AuditEvent.id)).scalars())

    def numbers(self) -> list[tuple[str, str]]:
        """(number, invoice id) of every issued document of the store."""
        invoices = schema.Invoice
        query = select(invoices.number, invoices.id).where(invoices.issued_at.is_not(None))
        with self.svc.db.read() as session:
            return [(number or "", id_) for number, id_ in session.execute(query)]


def converge(devices: list[Device], feed: Feed) -> None:
    """Everyone pushes what it has, then everyone pulls everything."""
    for device in devices:
        device.push(feed)
    for device in devices:
        device.pull(feed)


def store_content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """A store's tables without what is each store's own: the tables above, every sync_ table
    (a device's link, acks and inbox; a server's feed), and the order events arrived in (the
    audit event's `seq`, its first column)."""
    rows = tables(path)
    for name in list(rows):
        if name in OWN_TABLES or name.startswith("sync_"):
            rows.pop(name)
    rows["audit_events"] = sorted((row[1:] for row in rows["audit_events"]), key=repr)
    return rows


def differences(
    first: dict[str, list[tuple[Any, ...]]], second: dict[str, list[tuple[Any, ...]]]
) -> Iterator[str]:
    """The tables that differ, with a row of each side that the other lacks."""
    for name in sorted(set(first) | set(second)):
        ours, theirs = first.get(name, []), second.get(name, [])
        if ours != theirs:
            only_ours = [row for row in ours if row not in theirs][:1]
            only_theirs = [row for row in theirs if row not in ours][:1]
            yield f"{name}: {len(ours)} vs {len(theirs)} rows; {only_ours} / {only_theirs}"
