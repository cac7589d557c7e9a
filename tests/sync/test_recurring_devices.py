"""Recurring templates between two devices (on the stand-in feed of tests/sync/fleet.py): the
template and what it made reach the other device; only the device that runs it makes its
periods, however long the other was offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import Conflict
from invoicer.services.commands import NewLine, NewRecurring, RecurringChanges
from tests.sync.fleet import ShopClock, converge, differences, store_content
from tests.sync.test_offline_months import a_shop

D = dt.date


def test_only_the_device_that_runs_a_template_bills_it(tmp_path: Path) -> None:
    calendar = [D(2026, 1, 31)]
    a, b, customer, feed = a_shop(tmp_path, calendar)
    template = a.svc.recurring.create(
        NewRecurring(
            customer_id=customer, name="Hosting", frequency="monthly", auto_issue=True,
            start_date=D(2026, 1, 31),
            lines=[NewLine(description="Hosting", unit_price="20.00")],
        )
    )  # fmt: skip
    assert len(a.svc.recurring_runs.run_due().made) == 1
    converge([a, b], feed)
    seen = b.svc.recurring.get(template.id)
    assert (seen.made, seen.runs_here, seen.next_due) == (1, False, D(2026, 2, 28))
    for device in (a, b):
        device.use_clock(ShopClock([D(2026, 5, 1)]))
    report = b.svc.recurring_runs.run_due()  # B is the one started after three months
    assert report.made == ()
    assert report.elsewhere == ("Hosting",)
    with pytest.raises(Conflict, match="runs on device A"):
        b.svc.recurring.update(template.id, RecurringChanges(notes="from B"))
    made = a.svc.recurring_runs.run_due().made
    assert [m.number for m in made] == ["INV-2026-000002", "INV-2026-000003", "INV-2026-000004"]
    converge([a, b], feed)
    assert b.svc.recurring_runs.run_due().made == ()
    assert [r.number for r in b.svc.recurring.runs(template.id)] == [
        f"INV-2026-00000{n}" for n in range(1, 5)
    ]
    assert list(differences(store_content(a.svc.path), store_content(b.svc.path))) == []


def test_the_server_refuses_a_device_billing_or_changing_another_devices_template(
    tmp_path: Path,
) -> None:
    """What services/sync/server_trust.py checks before the server applies a pushed event."""
    from sqlalchemy import select

    from invoicer.services.sync.server_trust import Overstep
    from invoicer.store import schema

    a, b, customer, feed = a_shop(tmp_path, [D(2026, 1, 1)])
    lines = [NewLine(description="Hosting", unit_price="20.00")]
    theirs = a.svc.recurring.create(
        NewRecurring(customer_id=customer, frequency="monthly", start_date=D(2026, 1, 1),
                     lines=lines)
    ).id  # fmt: skip
    converge([a, b], feed)
    ours = b.svc.recurring.create(
        NewRecurring(customer_id=customer, frequency="monthly", start_date=D(2026, 1, 1),
                     lines=lines)
    ).id  # fmt: skip
    with b.svc.db.read() as session:
        events = session.execute(
            select(schema.AuditEvent)
            .where(schema.AuditEvent.entity.in_(["recurring_template", "recurring_run"]))
            .where(schema.AuditEvent.device_id == "device-b")
            .order_by(schema.AuditEvent.device_seq)
        ).scalars().all()  # fmt: skip
        session.expunge_all()
    assert [e.action for e in events] == ["recurring.create"]  # B's own template
    forged = [*events, *_forged(theirs, ours)]
    with a.svc.db.read() as session:
        overstep = Overstep(session, "device-b", ["device-b"], False)
        reasons = [overstep.reason(event) for event in forged]
    assert reasons == [
        None,  # B sets up a template it runs itself
        "It changes a recurring template device device-a runs, which only it may.",
        "It changes a recurring template device device-a runs, which only it may.",
        "It hands a recurring template to another device.",
        "It sets up a recurring template for another device to run.",
    ]


def _forged(theirs: str, ours: str) -> list[Any]:
    """Events an old or altered client on device B could push (written past the services)."""
    import json

    from invoicer.store.schema import AuditEvent

    def event(action: str, entity: str, entity_id: str, row: dict[str, object]) -> AuditEvent:
        return AuditEvent(action=action, entity=entity, entity_id=entity_id, device_id="device-b",
                          state=json.dumps({"row": row}))  # fmt: skip

    template = "recurring_template"
    return [
        event("recurring.update", template, theirs, {"id": theirs, "device_id": "device-a"}),
        event("recurring.run", "recurring_run", "r1", {"id": "r1", "template_id": theirs}),
        event("recurring.update", template, ours, {"id": ours, "device_id": "device-a"}),
        event("recurring.create", template, "t9", {"id": "t9", "device_id": "device-a"}),
    ]
