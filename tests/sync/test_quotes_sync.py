"""Quotes reach the shop's other devices through the real sync server: each device numbers
its quotes from its own series, and an accepted quote converted on one device is the same
quote, with the same link to its invoice, everywhere."""

from __future__ import annotations

from typing import Any

from invoicer.services.app import Services
from invoicer.services.commands import NewLine, NewQuote
from invoicer.services.sync import views
from tests.sync.conftest import Opener, make_shop


def quote(svc: Services, customer_id: str, price: str) -> str:
    made = svc.quotes.create(NewQuote(customer_id=customer_id))
    svc.quotes.add_line(made.id, NewLine(description="Advice", unit_price=price))
    return svc.quotes.issue(made.id).id


def test_quotes_sync_between_devices_from_their_own_series(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    first = quote(laptop, customer, "100.00")
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    desk.sync.setup(server.url, name="Desk", **server.admin)
    second = quote(laptop, customer, "50.00")
    third = quote(desk, customer, "75.00")  # offline from each other: their own series
    laptop.quotes.accept(first)
    laptop.quotes.convert(first)
    for svc in (laptop, desk, laptop):
        assert svc.sync.run().status.state != views.OFFLINE
    numbers = {
        svc: sorted(str(q.number) for q in svc.quotes.list().items) for svc in (laptop, desk)
    }
    assert numbers[laptop] == numbers[desk]
    assert len(set(numbers[laptop])) == 3
    for svc in (laptop, desk, server.svc):
        seen = {q.id: q for q in svc.quotes.list().items}
        assert set(seen) == {first, second, third}
        assert seen[first].status == "accepted"
        assert seen[first].invoice_id is not None
    assert desk.quotes.get(first).invoice_id == laptop.quotes.get(first).invoice_id
    assert laptop.audit.verify().ok
    assert desk.audit.verify().ok
