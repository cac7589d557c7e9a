"""Edits of one record on several devices merge per field to the same state on every store,
whatever order the events arrive in and whatever the devices' clocks say; concurrent edits of
a guarded field are kept for a person to choose (store/merge.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import CustomerChanges, NewCustomer, ShopProfileChanges
from invoicer.services.sync.conflicts import ConflictService
from invoicer.services.sync.protocol import event_from_wire, event_to_wire
from invoicer.store.replay import apply_events, events_of

from .conftest import SHOP
from .devices import as_device, tables

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}
MERGE_TABLES = ("customers", "products", "shop", "merge_state", "field_writes", "logical_clocks")


def wire_events(svc: Services) -> list[dict[str, Any]]:
    with svc.db.read() as session:
        return [event_to_wire(event) for event in events_of(session)]


def deliver(svc: Services, events: list[dict[str, Any]]) -> int:
    with svc.db.write() as session:
        return apply_events(session, [event_from_wire(event) for event in events])


def merged_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    rows = tables(path)
    return {name: rows[name] for name in MERGE_TABLES}


def conflicts(svc: Services) -> list[tuple[str, list[Any]]]:
    found = ConflictService(svc.db, svc.ctx).list()
    return [(c.id, sorted(str(v.value) for v in c.values)) for c in found]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Services, Services, Services, str]]:
    """Three devices of one shop that all have the shop's first customer."""
    paths = [tmp_path / f"{name}.sqlite" for name in "abc"]
    with open_services(paths[0]) as a, open_services(paths[1]) as b, open_services(paths[2]) as c:
        with as_device(a, "device-a"):
            a.shop.save(ShopProfileChanges(**SHOP))
            customer = a.customers.add(
                NewCustomer(name="Jan", country="NL", vat_number="NL000099998B57", **ADDRESS)
            ).id
        for other in (b, c):
            deliver(other, wire_events(a))
        yield a, b, c, customer


def edit(svc: Services, device: str, customer: str, **changes: Any) -> None:
    with as_device(svc, device):
        svc.customers.update(customer, CustomerChanges(**changes))


def test_edits_of_different_fields_on_two_devices_both_stand_everywhere(stores: Any) -> None:
    a, b, _c, customer = stores
    edit(a, "device-a", customer, email="jan@example.nl")
    edit(b, "device-b", customer, city="Utrecht")
    ours, theirs = wire_events(a), wire_events(b)
    deliver(a, theirs)
    deliver(b, ours)
    for svc in (a, b):
        got = svc.customers.get(customer)
        assert (got.email, got.city) == ("jan@example.nl", "Utrecht")
    assert merged_tables(a.path) == merged_tables(b.path)
    assert conflicts(a) == conflicts(b) == []


def test_the_same_field_edited_on_three_devices_ends_the_same_in_every_delivery_order(
    stores: Any, tmp_path: Path
) -> None:
    a, b, c, customer = stores
    edit(a, "device-a", customer, name="Jan de Vries")
    edit(b, "device-b", customer, name="J. de Vries")
    edit(c, "device-c", customer, name="Jan")  # the old name written again, concurrently
    feeds = [wire_events(s) for s in (a, b, c)]
    results = []
    for order in itertools.permutations(range(3)):
        path = tmp_path / f"order-{''.join(map(str, order))}.sqlite"
        with open_services(path) as fresh:
            for index in order:
                deliver(fresh, feeds[index])
            results.append((fresh.customers.get(customer).name, merged_tables(path)))
    assert len({repr(result) for result in results}) == 1
    assert results[0][0] in {"Jan de Vries", "J. de Vries", "Jan"}
    # A name is not guarded: the rule settles it and nobody is asked.
    with open_services(tmp_path / "order-012.sqlite") as fresh:
        assert conflicts(fresh) == []


def test_two_devices_setting_another_vat_number_are_a_conflict_a_person_settles(
    stores: Any,
) -> None:
    a, b, _c, customer = stores
    edit(a, "device-a", customer, vat_number="NL810433941B01")
    edit(b, "device-b", customer, vat_number="NL123456782B01")
    ours, theirs = wire_events(a), wire_events(b)
    deliver(a, theirs)
    deliver(b, ours)
    assert a.customers.get(customer).vat_number == b.customers.get(customer).vat_number
    found = ConflictService(a.db, a.ctx).list()
    assert [c.field for c in found] == ["vat_number"]
    assert conflicts(a) == conflicts(b)
    assert sorted(str(v.value) for v in found[0].values) == ["NL123456782B01", "NL810433941B01"]
    # A person on device B keeps the first number (the one that had lost, say).
    first = next(v for v in found[0].values if v.value == "NL810433941B01")
    with as_device(b, "device-b"):
        ConflictService(b.db, b.ctx).resolve(found[0].id, first.stamp)
    deliver(a, wire_events(b))
    for svc in (a, b):
        assert svc.customers.get(customer).vat_number == "NL810433941B01"
        assert conflicts(svc) == []
    assert merged_tables(a.path) == merged_tables(b.path)
    assert a.audit.verify().ok
    assert b.audit.verify().ok


def test_an_edit_made_after_seeing_another_wins_whatever_the_clocks_say(stores: Any) -> None:
    a, b, _c, customer = stores
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)  # device B's clock runs 3 days fast
    with as_device(b, "device-b", now=lambda: ahead):
        b.customers.update(customer, CustomerChanges(city="Utrecht"))
    deliver(a, wire_events(b))
    edit(a, "device-a", customer, city="Haarlem")  # made knowing B's edit: it is the newer
    deliver(b, wire_events(a))
    assert a.customers.get(customer).city == b.customers.get(customer).city == "Haarlem"
    assert conflicts(a) == conflicts(b) == []


def test_a_device_that_saw_a_conflict_and_edits_the_field_again_settles_it(
    stores: Any,
) -> None:
    a, b, _c, customer = stores
    edit(a, "device-a", customer, vat_number="NL810433941B01")
    edit(b, "device-b", customer, vat_number="NL123456782B01")
    deliver(a, wire_events(b))
    assert conflicts(a)
    edit(a, "device-a", customer, vat_number="NL111222333B01")
    deliver(b, wire_events(a))
    assert conflicts(a) == conflicts(b) == []
    assert b.customers.get(customer).vat_number == "NL111222333B01"


def test_resolving_with_a_value_that_is_not_one_of_the_conflicts_changes_nothing(
    stores: Any,
) -> None:
    from invoicer.domain.errors import NotFound, ValidationError

    a, b, _c, customer = stores
    edit(a, "device-a", customer, vat_number="NL810433941B01")
    edit(b, "device-b", customer, vat_number="NL123456782B01")
    deliver(a, wire_events(b))
    service = ConflictService(a.db, a.ctx)
    before = merged_tables(a.path)
    with pytest.raises(ValidationError):
        service.resolve(service.list()[0].id, "000000000001.nobody.0000000001")
    with pytest.raises(NotFound):
        service.resolve("customer:nope:vat_number", "x")
    assert merged_tables(a.path) == before


def test_the_shops_profile_merges_into_one_row_whatever_id_each_store_gave_it(
    tmp_path: Path,
) -> None:
    with (
        open_services(tmp_path / "a.sqlite") as a,
        open_services(tmp_path / "b.sqlite") as b,
    ):
        with as_device(a, "device-a"):
            a.shop.save(ShopProfileChanges(**SHOP))
        with as_device(b, "device-b"):
            b.shop.save(ShopProfileChanges(**{**SHOP, "city": "Utrecht"}))
        ours, theirs = wire_events(a), wire_events(b)
        deliver(a, theirs)
        deliver(b, ours)
        assert a.shop.get() == b.shop.get()
        assert merged_tables(a.path) == merged_tables(b.path)
