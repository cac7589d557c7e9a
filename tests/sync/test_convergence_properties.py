"""Three devices of one shop that edit, issue, take payments and sync in any interleaving, with
transfers cut off midway, batches delivered twice, pushes out of order and lost answers, end
with identical stores once everyone has synced (DESIGN.md §11): a hypothesis state machine
over real stores and a stand-in for the server's feed (tests/sync/fleet.py).

After every step each store's audit trail verifies and no number is used twice, in a store or
across the shop. At the end everyone syncs and the stores are equal table by table (what is
each store's own left out), with the same conflicts open.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from invoicer.domain.errors import Conflict
from invoicer.services.commands import (
    CustomerChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    ProductChanges,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.sync.conflicts import ConflictService
from invoicer.store import schema
from tests.services.conftest import SHOP, TODAY
from tests.sync.fleet import (
    CutOff,
    Device,
    Feed,
    Gap,
    ShopClock,
    converge,
    differences,
    store_content,
)

# Valid Dutch VAT numbers (python-stdnum checks them): the guarded field two devices may set
# differently, which is a conflict for a person.
VAT_NUMBERS = ("NL810433941B01", "NL123456782B01", "NL111222333B01", "NL853746333B01")
NAMES = ("Jan", "Jan de Vries", "Bakkerij Smit", "Anna", "Café Noord")
CITIES = ("Amsterdam", "Utrecht", "Haarlem", "Leiden")
ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}
SKEW = {"a": 0, "b": 0, "c": 3}  # device C's clock runs three days ahead


devices = st.sampled_from("abc")
batch_sizes = st.one_of(st.none(), st.integers(min_value=1, max_value=8))


class ThreeDevices(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-props-"))
        self.calendar = [TODAY]
        self.feed = Feed()
        self.devices = {
            name: Device.open(
                name,
                f"device-{name}",
                self.folder / f"{name}.sqlite",
                ShopClock(self.calendar, SKEW[name]),
            )
            for name in "abc"
        }
        self.drafts: dict[str, str] = {}  # draft id -> the device that made it
        self.numbers: dict[str, str] = {}  # number -> the one invoice that has it, shop-wide
        a = self.devices["a"].svc
        a.shop.save(ShopProfileChanges(**SHOP))
        for name in "abc":  # registered first: each issues from its own series
            a.devices.register(f"device-{name}", name.upper())
        a.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS))
        a.products.add(NewProduct(name="Sencha", unit_price="12.50"))
        converge(list(self.devices.values()), self.feed)

    def teardown(self) -> None:
        try:
            everyone = list(self.devices.values())
            converge(everyone, self.feed)
            first, *others = everyone
            expected = store_content(first.svc.path)
            assert first.event_ids() == {wire["id"] for wire in self.feed.events}
            for other in others:
                got = store_content(other.svc.path)
                assert got == expected, list(differences(expected, got))
                assert other.conflicts() == first.conflicts()
        finally:
            for device in self.devices.values():
                device.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- what the merchant does on one device ----------------------------------------------

    def _pick(self, data: st.DataObject, rows: list[Any]) -> Any:
        return data.draw(st.sampled_from(sorted(rows)))

    def _ids(self, device: Device, model: Any, *where: Any) -> list[str]:
        with device.svc.db.read() as session:
            return list(session.execute(select(model.id).where(*where)).scalars())

    @rule(
        name=devices,
        customer=st.sampled_from(NAMES),
        vat=st.one_of(st.none(), st.sampled_from(VAT_NUMBERS)),
    )
    def add_customer(self, name: str, customer: str, vat: str | None) -> None:
        svc = self.devices[name].svc
        svc.customers.add(NewCustomer(name=customer, country="NL", vat_number=vat, **ADDRESS))

    @rule(
        name=devices,
        data=st.data(),
        changes=st.fixed_dictionaries(
            {},
            optional={
                "name": st.sampled_from(NAMES),
                "email": st.sampled_from(("jan@example.nl", "info@example.nl")),
                "city": st.sampled_from(CITIES),
                "vat_number": st.one_of(st.none(), st.sampled_from(VAT_NUMBERS)),
                "notes": st.sampled_from(("", "pays late", "VIP")),
            },
        ).filter(bool),
    )
    def edit_customer(self, name: str, data: st.DataObject, changes: dict[str, Any]) -> None:
        device = self.devices[name]
        customer = self._pick(data, self._ids(device, schema.Customer))
        device.svc.customers.update(customer, CustomerChanges(**changes))

    @rule(name=devices, product=st.sampled_from(("Oolong", "Teapot", "Cups")))
    def add_product(self, name: str, product: str) -> None:
        self.devices[name].svc.products.add(NewProduct(name=product, unit_price="4.95"))

    @rule(
        name=devices,
        data=st.data(),
        changes=st.fixed_dictionaries(
            {},
            optional={
                "name": st.sampled_from(("Sencha", "Sencha (100 g)", "Green tea")),
                "unit_price": st.sampled_from(("12.50", "13.00", "9.99")),
                "description": st.sampled_from(("", "Loose leaf", "From Shizuoka")),
            },
        ).filter(bool),
    )
    def edit_product(self, name: str, data: st.DataObject, changes: dict[str, Any]) -> None:
        device = self.devices[name]
        product = self._pick(data, self._ids(device, schema.Product))
        device.svc.products.update(product, ProductChanges(**changes))

    def _draft(self, device: Device, data: st.DataObject) -> str:
        svc = device.svc
        customer = self._pick(data, self._ids(device, schema.Customer))
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        products = self._ids(device, schema.Product)
        for _ in range(data.draw(st.integers(min_value=1, max_value=2), label="lines")):
            if data.draw(st.booleans(), label="from a product"):
                line = NewLine(product_id=self._pick(data, products), quantity="2")
            else:
                line = NewLine(description="Tasting", unit_price="7.25", quantity="1")
            svc.invoices.add_line(draft.id, line)
        self.drafts[draft.id] = device.device_id
        return draft.id

    def _issue(self, device: Device, draft: str) -> None:
        number = device.svc.invoices.issue(draft).number
        assert number is not None
        assert self.numbers.setdefault(number, draft) == draft, f"{number} issued twice"

    @rule(name=devices, data=st.data())
    def issue_invoice(self, name: str, data: st.DataObject) -> None:
        device = self.devices[name]
        self._issue(device, self._draft(device, data))

    @rule(name=devices, data=st.data())
    def start_draft(self, name: str, data: st.DataObject) -> None:
        self._draft(self.devices[name], data)

    @precondition(lambda self: bool(self.drafts))
    @rule(name=devices, data=st.data())
    def issue_a_draft(self, name: str, data: st.DataObject) -> None:
        """A device may issue its own drafts only; another's is refused, changing nothing."""
        device = self.devices[name]
        drafts = self._ids(device, schema.Invoice, schema.Invoice.issued_at.is_(None))
        if not drafts:
            return
        draft = self._pick(data, drafts)
        if self.drafts[draft] == device.device_id:
            self._issue(device, draft)
            return
        before = store_content(device.svc.path)
        with pytest.raises(Conflict, match="only that device"):
            device.svc.invoices.issue(draft)
        assert store_content(device.svc.path) == before

    @rule(name=devices, data=st.data(), share=st.sampled_from((1, 3, 10)))
    def record_payment(self, name: str, data: st.DataObject, share: int) -> None:
        """A payment on an invoice the device has (whoever issued it): a part or the rest of
        its balance as this device knows it (another device may be taking one too)."""
        device = self.devices[name]
        invoices = schema.Invoice
        with device.svc.db.read() as session:
            open_ = session.execute(
                select(
                    invoices.id,
                    invoices.gross_minor - invoices.paid_minor - invoices.credited_minor,
                ).where(
                    invoices.issued_at.is_not(None),
                    invoices.kind == "invoice",
                    invoices.gross_minor > invoices.paid_minor + invoices.credited_minor,
                )
            ).all()
        if not open_:
            return
        invoice, balance = self._pick(data, [tuple(row) for row in open_])
        amount = max(balance // share, 1)
        paid = device.svc.payments.add(invoice, RecordPayment(amount=str(Decimal(amount) / 100)))
        assert paid is not None

    @rule(name=devices, data=st.data())
    def settle_a_conflict(self, name: str, data: st.DataObject) -> None:
        device = self.devices[name]
        service = ConflictService(device.svc.db, device.svc.ctx)
        found = service.list()
        if not found:
            return
        conflict = data.draw(st.sampled_from(found), label="conflict")
        choice = data.draw(st.sampled_from(conflict.values), label="value")
        service.resolve(conflict.id, choice.stamp)

    @rule()
    def a_day_passes(self) -> None:
        self.calendar[0] += dt.timedelta(days=1)

    # -- syncing, and what goes wrong on the way -------------------------------------------

    @rule(name=devices, limit=batch_sizes, ack_lost=st.booleans())
    def push(self, name: str, limit: int | None, ack_lost: bool) -> None:
        """A push; `ack_lost`: the feed stored the batch but the answer was lost, so the
        device sends it again next time (it must then be a duplicate, not a second copy)."""
        device = self.devices[name]
        before = len(self.feed.events)
        device.push(self.feed, limit, ack_lost=ack_lost)
        if ack_lost:
            again = device.unsent(limit)
            assert self.feed.push(again) == ["duplicate"] * len(again)
        assert len(self.feed.events) >= before

    @rule(name=devices)
    def push_out_of_order(self, name: str) -> None:
        """The second half of the unsent events arrives first: refused as a gap, nothing of it
        kept; the device resends from where the feed is and all is stored once."""
        device = self.devices[name]
        unsent = device.unsent()
        if len(unsent) < 2:
            return
        before = list(self.feed.events)
        with pytest.raises(Gap):
            self.feed.push(unsent[len(unsent) // 2 :])
        assert self.feed.events == before
        device.push(self.feed)
        assert len(self.feed.events) == len(before) + len(unsent)

    @rule(name=devices, limit=batch_sizes, at_once=st.booleans())
    def pull(self, name: str, limit: int | None, at_once: bool) -> None:
        """A pull, applied at once (as the engine does) or event by event (its fallback)."""
        self.devices[name].pull(self.feed, limit, at_once=at_once)

    @rule(first=devices, second=devices)
    def exchange(self, first: str, second: str) -> None:
        """Two devices sync one after the other (pushing, then pulling)."""
        one, other = self.devices[first], self.devices[second]
        one.push(self.feed)
        other.push(self.feed)
        one.pull(self.feed)
        other.pull(self.feed)

    @rule(name=devices, data=st.data(), retry=st.booleans(), at_once=st.booleans())
    def pull_cut_off(self, name: str, data: st.DataObject, retry: bool, at_once: bool) -> None:
        """The transfer dies in the middle of applying a batch: nothing of it is kept and the
        cursor stays; the next pull (now, or later) gets it all."""
        device = self.devices[name]
        batch = self.feed.pull(device.cursor)
        if not batch:
            return
        cut = data.draw(st.integers(min_value=0, max_value=len(batch) - 1), label="cut after")
        before, cursor = store_content(device.svc.path), device.cursor
        with pytest.raises(CutOff):
            device.pull(self.feed, cut_after=cut, at_once=at_once)
        assert store_content(device.svc.path) == before
        assert device.cursor == cursor
        if retry:
            device.pull(self.feed)

    @rule(name=devices, limit=batch_sizes)
    def batch_delivered_twice(self, name: str, limit: int | None) -> None:
        """The same pulled batch applied again (an answer replayed): nothing new."""
        device = self.devices[name]
        batch = self.feed.pull(device.cursor, limit)
        device.pull(self.feed, limit)
        assert device.apply(batch) == 0

    @rule(name=devices)
    def pull_from_the_start(self, name: str) -> None:
        """The cursor is lost (or the server's log epoch changed): the device reads the
        whole feed again and every event it has is skipped."""
        device = self.devices[name]
        device.cursor = 0
        device.pull(self.feed, 5)

    # -- what must always hold -------------------------------------------------------------

    @invariant()
    def every_chain_verifies(self) -> None:
        for device in self.devices.values():
            report = device.svc.audit.verify()
            assert report.ok, (device.name, report)

    @invariant()
    def no_number_is_used_twice(self) -> None:
        for device in self.devices.values():
            numbers = device.numbers()
            assert len({number for number, _ in numbers}) == len(numbers), device.name
            for number, invoice in numbers:
                assert self.numbers.setdefault(number, invoice) == invoice, number


def test_three_devices_converge_whatever_the_interleaving_of_edits_syncs_and_failures() -> None:
    run_state_machine_as_test(
        ThreeDevices,
        settings=settings(
            max_examples=12,
            stateful_step_count=30,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
