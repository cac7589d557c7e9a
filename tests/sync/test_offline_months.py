"""Two devices offline for a whole quarter, each issuing hundreds of invoices from its own
series, end with the same store whichever of them syncs first; a device whose clock runs days
ahead changes no result and blocks nothing (issue 20's scenarios, on the stand-in feed of
tests/sync/fleet.py: the real server's are in tests/sync/test_scenarios.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest

from invoicer.services.commands import (
    CustomerChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.sync.conflicts import ConflictService
from tests.services.conftest import SHOP
from tests.sync.fleet import Device, Feed, ShopClock, converge, differences, store_content

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}
DAYS = 90
PER_DEVICE = 500
START = dt.date(2026, 11, 1)  # the quarter runs into the next year: each series restarts


def issue(device: Device, customer: str, what: str) -> tuple[str, str]:
    svc = device.svc
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(draft.id, NewLine(description=what, unit_price="12.50", quantity="2"))
    number = svc.invoices.issue(draft.id).number
    assert number is not None
    return number, draft.id


def a_shop(
    folder: Path, calendar: list[dt.date], skew_b: int = 0
) -> tuple[Device, Device, str, Feed]:
    """Device A (the shop's first, keeping its number formats) and device B, which has
    downloaded the shop; their one customer; the feed they synced through."""
    a = Device.open("a", "device-a", folder / "a.sqlite", ShopClock(calendar))
    b = Device.open("b", "device-b", folder / "b.sqlite", ShopClock(calendar, skew_b))
    a.svc.shop.save(ShopProfileChanges(**SHOP))
    a.svc.devices.register("device-a", "A", series_prefix="")
    a.svc.devices.register("device-b", "B")
    customer = a.svc.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
    feed = Feed()
    converge([a, b], feed)
    return a, b, customer, feed


def reopen(device: Device, path: Path, calendar: list[dt.date]) -> Device:
    """The device on a copy of its store, knowing what it knew (its ack and cursor)."""
    copy = Device.open(device.name, device.device_id, path, ShopClock(calendar, device.skew))
    copy.acked, copy.cursor = device.acked, device.cursor
    return copy


def check_numbers(device: Device) -> int:
    """Every number once; each series of each year counts 1, 2, 3... with no gap."""
    numbers = [number for number, _ in device.numbers()]
    assert len(set(numbers)) == len(numbers)
    counted: dict[str, list[int]] = defaultdict(list)
    for number in numbers:
        series, seq = re.fullmatch(r"(.*-)(\d+)", number).groups()  # type: ignore[union-attr]
        counted[series].append(int(seq))
    for series, seqs in counted.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), series
    return len(numbers)


@pytest.mark.slow
def test_two_devices_offline_for_90_days_converge_whichever_syncs_first(
    tmp_path: Path,
) -> None:
    calendar = [START]
    # Device B's clock runs 3 days ahead for the whole quarter.
    a, b, customer, before = a_shop(tmp_path, calendar, skew_b=3)
    started = time.perf_counter()
    issued: dict[str, list[str]] = {"a": [], "b": []}
    for day in range(DAYS):
        calendar[0] = START + dt.timedelta(days=day)
        due = PER_DEVICE * (day + 1) // DAYS - PER_DEVICE * day // DAYS
        for device in (a, b):
            for _ in range(due):
                number, invoice = issue(device, customer, f"Tea, day {day}")
                issued[device.name].append(number)
            if day % 10 == device.name.count("b") * 5:  # now and then, a payment and an edit
                device.svc.payments.add(invoice, RecordPayment(amount="10.00"))
                field = "email" if device is a else "notes"
                device.svc.customers.update(
                    customer, CustomerChanges(**{field: f"{device.name}{day}@example.nl"})
                )
    offline = time.perf_counter() - started
    assert len(issued["a"]) == len(issued["b"]) == PER_DEVICE
    a.close()
    b.close()

    # The same two stores, twice: A syncs first in one world, B in the other.
    worlds = {}
    for first in ("a", "b"):
        folder = tmp_path / f"{first}-first"
        folder.mkdir()
        for name in "ab":
            shutil.copy(tmp_path / f"{name}.sqlite", folder / f"{name}.sqlite")
        here = {
            "a": reopen(a, folder / "a.sqlite", calendar),
            "b": reopen(b, folder / "b.sqlite", calendar),
        }
        feed = Feed(list(before.events), dict(before.hashes))  # the server as it was
        order = [here[first], here["b" if first == "a" else "a"]]
        synced = time.perf_counter()
        for device in order:  # the first syncs alone, then the second, then the first again
            device.sync(feed)
        order[0].pull(feed)
        worlds[first] = (here, time.perf_counter() - synced)

    contents = []
    for here, _took in worlds.values():
        for device in here.values():
            assert device.svc.audit.verify().ok
            assert check_numbers(device) == 2 * PER_DEVICE
            assert ConflictService(device.svc.db, device.svc.ctx).list() == ()
            contents.append(store_content(device.svc.path))
            device.close()
    for other in contents[1:]:
        assert other == contents[0], list(differences(contents[0], other))
    # Both devices' numbers stand as issued, and B's started a new year 3 days before A's.
    with_years = {name: {n.split("-")[1] for n in numbers} for name, numbers in issued.items()}
    assert with_years == {"a": {"2026", "2027"}, "b": {"2026", "2027"}}
    print(
        f"\noffline: {2 * PER_DEVICE} invoices in {offline:.1f} s; "
        + "; ".join(f"{first} first: synced in {took:.1f} s" for first, (_, took) in worlds.items())
    )


def test_a_device_whose_clock_is_3_days_ahead_changes_no_result_and_blocks_nothing(
    tmp_path: Path,
) -> None:
    calendar = [dt.date(2026, 12, 30)]
    a, b, customer, feed = a_shop(tmp_path, calendar, skew_b=3)
    # B thinks it is 2 January: its invoice is of the new year, dated ahead of A's day.
    theirs, invoice = issue(b, customer, "Teapot")
    b.svc.customers.update(customer, CustomerChanges(city="Utrecht"))
    b.sync(feed)
    a.sync(feed)
    assert a.svc.invoices.get(invoice).issue_date == dt.date(2027, 1, 2)
    # A, on its own day, still issues from its own series (numbers and dates in order per
    # series), and its later edit wins although B's clock says B's was later.
    ours, _ = issue(a, customer, "Sencha")
    a.svc.customers.update(customer, CustomerChanges(city="Haarlem"))
    a.svc.payments.add(invoice, RecordPayment(amount="5.00"))
    a.sync(feed)
    b.sync(feed)
    assert (theirs, ours) == ("INV-2027-B-000001", "INV-2026-000001")
    for device in (a, b):
        assert device.svc.customers.get(customer).city == "Haarlem"
        assert device.svc.invoices.get(invoice).paid == 5
        assert device.svc.audit.verify().ok
    assert store_content(a.svc.path) == store_content(b.svc.path)
    a.close()
    b.close()
