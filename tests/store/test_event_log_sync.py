"""Two devices that work offline and then exchange their events end with the same store: what
the event log promises the sync client (DESIGN.md §11), without the network part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)

from .conftest import SHOP
from .devices import as_device, replay_into, tables
from .test_event_log import NOT_REPLAYED

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def issue(svc: Services, customer: str, what: str) -> str:
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(draft.id, NewLine(description=what, unit_price="12.50", quantity="2"))
    return svc.invoices.issue(draft.id).number or ""


def same_store(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The tables without what is each file's own: the order events arrived in (`seq`)."""
    rows = tables(path)
    for name in NOT_REPLAYED:
        rows.pop(name, None)
    rows["audit_events"] = sorted((row[1:] for row in rows["audit_events"]), key=repr)
    return rows


def test_two_devices_working_offline_converge_by_exchanging_events(tmp_path: Path) -> None:
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    with open_services(first) as a:
        a.shop.save(ShopProfileChanges(**SHOP))
        a.devices.register("local", "A", series_prefix="")
        a.devices.register("device-b", "B")
        customer = a.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
        opened = issue(a, customer, "Sencha")
    with open_services(first) as a, open_services(second) as b:
        replay_into(a.db, b.db)  # the second device starts from the shop as it is

        # Offline, each on its own: numbers from their own series, no conflict possible.
        ours = [issue(a, customer, "Darjeeling")]
        a.payments.add(opened, RecordPayment(amount="10.00"))
        with as_device(b, "device-b"):
            theirs = [issue(b, customer, "Teapot"), issue(b, customer, "Cups")]
            b.payments.add(opened, RecordPayment(amount="5.00"))  # paid at the second till
            b.customers.add(NewCustomer(name="Walk-in", country="NL", **ADDRESS))

        assert replay_into(b.db, a.db) == 3 + 3 + 1 + 1  # 2 invoices (draft, line, issue), 2 more
        replay_into(a.db, b.db)

        assert a.audit.verify().ok
        assert b.audit.verify().ok
        assert a.invoices.get(opened).paid == b.invoices.get(opened).paid == 15
    year = ours[0].split("-")[1]
    assert ours == [f"INV-{year}-000002"]
    assert theirs == [f"INV-{year}-B-000001", f"INV-{year}-B-000002"]
    assert same_store(first) == same_store(second)
