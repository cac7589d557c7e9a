"""A file from before the event log (revision 0011) upgrades: its events keep their chain
under device "local", and new events continue it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from invoicer.services.app import open_services
from invoicer.services.commands import (
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.store.database import Database, migrate
from invoicer.store.replay import ReplayRefused
from tests.tampering import tamper

from .conftest import SHOP

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def old_file(path: Path) -> list[tuple[int, str, str]]:
    """A shop with an issued, paid invoice, taken back to revision 0011: (seq, prev, hash)."""
    with open_services(path) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        customer = svc.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        svc.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="10"))
        number = svc.invoices.issue(draft.id).number
        svc.payments.add(number, RecordPayment(amount="5.00"))
    database = Database(path)
    with database.engine.connect() as connection:
        migrate(connection, "downgrade", "0011")
    database.close()
    connection = sqlite3.connect(path)
    columns = {r[1] for r in connection.execute("PRAGMA table_info(audit_events)")}
    assert "device_id" not in columns
    rows = connection.execute("SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq")
    chain = rows.fetchall()
    connection.close()
    return chain


def test_old_events_become_the_local_devices_legacy_chain(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    legacy = old_file(path)

    with open_services(path) as svc:
        assert svc.audit.verify().ok
        svc.customers.add(NewCustomer(name="Piet", country="NL", **ADDRESS))
        report = svc.audit.verify()

    assert report.ok, report.problems
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT seq, prev_hash, hash, id, device_id, device_seq, schema_version "
        "FROM audit_events ORDER BY seq"
    ).fetchall()
    head = connection.execute("SELECT device_id, seq, hash FROM audit_head").fetchall()
    connection.close()
    old, new = rows[: len(legacy)], rows[len(legacy) :]
    assert [row[:3] for row in old] == legacy  # the legacy chain as it was
    assert len({row[3] for row in rows}) == len(rows)  # each its own UUID
    assert {(row[4], row[6]) for row in old} == {("local", 1)}
    assert [row[5] for row in old] == [row[0] for row in old]
    assert len(new) == 1
    assert new[0][1] == legacy[-1][2]  # the new event continues the old chain
    assert new[0][4:] == ("local", len(legacy) + 1, 2)
    assert head == [("local", new[0][5], new[0][2])]


def test_a_tail_cut_before_the_upgrade_still_shows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    legacy = old_file(path)
    tamper(path, f"DELETE FROM audit_events WHERE seq = {legacy[-1][0]}")

    with open_services(path) as svc:
        report = svc.audit.verify()

    assert not report.ok
    assert any("cut off" in p.message for p in report.problems)


def test_events_from_before_complete_payloads_are_not_replayed(tmp_path: Path) -> None:
    from .devices import replay_into

    path = tmp_path / "old.sqlite"
    old_file(path)
    with (
        open_services(path) as svc,
        open_services(tmp_path / "new.sqlite") as target,
        pytest.raises(ReplayRefused, match="schema version 1"),
    ):
        replay_into(svc.db, target.db)
