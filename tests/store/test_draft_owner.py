"""A draft made on one device can be changed, deleted and issued only there (DESIGN.md §11):
the other devices see it, and are told where to finish it."""

from __future__ import annotations

from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict
from invoicer.services.app import open_services
from invoicer.services.commands import (
    DraftChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    ShopProfileChanges,
)

from .conftest import SHOP
from .devices import as_device, replay_into, tables

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def test_only_the_device_that_made_a_draft_changes_or_issues_it(tmp_path: Path) -> None:
    with open_services(tmp_path / "a.sqlite") as a, open_services(tmp_path / "b.sqlite") as b:
        with as_device(a, "device-a"):
            a.shop.save(ShopProfileChanges(**SHOP))
            a.devices.register("device-a", "A", series_prefix="")
            a.devices.register("device-b", "B")
            customer = a.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
            draft = a.invoices.create_draft(NewDraft(customer_id=customer)).id
            a.invoices.add_line(draft, NewLine(description="Tea", unit_price="4.00"))
        replay_into(a.db, b.db)
        before = tables(tmp_path / "b.sqlite")
        with as_device(b, "device-b"):
            assert b.invoices.get(draft).id == draft  # seen everywhere
            for attempt in (
                lambda: b.invoices.update_draft(draft, DraftChanges(notes="mine now")),
                lambda: b.invoices.add_line(draft, NewLine(description="Cake", unit_price="3")),
                lambda: b.invoices.delete_draft(draft),
                lambda: b.invoices.issue(draft),
            ):
                with pytest.raises(Conflict, match="made on device A"):
                    attempt()
            assert tables(tmp_path / "b.sqlite") == before  # refused: nothing changed
            own = b.invoices.create_draft(NewDraft(customer_id=customer)).id
            b.invoices.add_line(own, NewLine(description="Cups", unit_price="9.00"))
            assert b.invoices.issue(own).number.endswith("-B-000001")
        with as_device(a, "device-a"):
            assert a.invoices.issue(draft).number.endswith("-000001")
