"""The event log as a sync feed: complete payloads a fresh store can be rebuilt from, one hash
chain per device, one number series per device."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services import payment_requests, transfer
from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    CustomerChanges,
    DraftChanges,
    LineChanges,
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    NewPaymentRequest,
    NewQuote,
    NewRecurring,
    ProductChanges,
    RecurringChanges,
    ShopProfileChanges,
)
from invoicer.services.demo import fill_demo
from invoicer.services.mail import sent_log
from invoicer.store.replay import ReplayRefused
from tests.backends import rows as all_rows
from tests.tampering import tamper

from .conftest import SHOP
from .devices import as_device, replay_into, tables


def where(svc: Services) -> Path | str:
    """The store as tests/backends.py and tampering.py take it: a file or a URL."""
    return svc.db.path if svc.db.is_file else svc.db.location


# Not rebuilt from events, and why:
NOT_REPLAYED = {
    "alembic_version",  # the schema revision: each store's own migrations write it
    "chain_cursors",  # how far this device scanned a blockchain: its own bookkeeping
    "shops",  # the store's tenant row: the feed is one shop's, replayed into the store's shop
}
ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def every_kind_of_event(svc: Services) -> None:
    """What the demo does not: edits, archives, deletions, PDFs, payment requests, imports,
    a device."""
    customer = svc.customers.list().items[0]
    svc.customers.update(customer.id, CustomerChanges(email="new@example.com", notes="moved"))
    product = svc.products.list().items[0]
    svc.products.update(product.id, ProductChanges(unit_price="13.75"))
    svc.products.archive(svc.products.list().items[-1].id)
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id, notes="to be changed"))
    svc.invoices.update_draft(draft.id, DraftChanges(notes="changed", due_days=30))
    with_lines = svc.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="4.50"))
    svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity="3"))
    svc.invoices.update_line(draft.id, with_lines.lines[0].id, LineChanges(quantity="2"))
    svc.invoices.remove_line(draft.id, with_lines.lines[0].id)
    issued = svc.invoices.issue(draft.id)
    svc.invoices.set_pdf_sha256(issued.id, "ab" * 32)
    gone = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    svc.invoices.add_line(gone.id, NewLine(description="Oops", unit_price="1"))
    svc.invoices.delete_draft(gone.id)
    request = payment_requests.add(
        svc,
        issued.id,
        NewPaymentRequest(
            provider="stripe", external_id="cs_test_1", url="https://pay.example/1",
            amount_minor=100, currency="EUR", details={"note": "x"},
        ),
    )  # fmt: skip
    payment_requests.set_status(svc, request.id, "expired")
    transfer.import_csv(svc, "customers", "name,country\nImported Ltd,IE\n")
    svc.shop.save(ShopProfileChanges(phone="+31 20 555 0199"))
    recurring = svc.recurring.create(
        NewRecurring(
            customer_id=customer.id, frequency="monthly", auto_issue=True,
            start_date=svc.today() - dt.timedelta(days=40),
            lines=[NewLine(description="Hosting", unit_price="20.00")],
        )
    )  # fmt: skip
    svc.recurring.update(recurring.id, RecurringChanges(notes="Thank you"))
    svc.recurring.pause(recurring.id)
    svc.recurring.resume(recurring.id)
    assert len(svc.recurring_runs.run_due().made) == 2
    svc.devices.register("local", "A", series_prefix="")
    # E-mail's records (services/mail): a template of the merchant's, a send and a failure.
    svc.mail.save_template("invoice", "nl", subject="Factuur {number}")
    for status, reason in (("sent", None), ("failed", "the server refused the connection")):
        entry = sent_log.claim(svc, invoice_id=issued.id, kind="invoice", step=0,
                               recipients=["a@example.com"], subject="Factuur",
                               attachments=["INV.pdf"], message_id=f"<{status}@example.com>",
                               key=status)  # fmt: skip
        sent_log.finish(svc, entry.id, status, reason)
    quote = svc.quotes.create(NewQuote(customer_id=customer.id, notes="a quote"))
    svc.quotes.add_line(quote.id, NewLine(description="Advice", unit_price="80"))
    svc.quotes.add_line(quote.id, NewLine(product_id=product.id, quantity="2"))
    svc.quotes.remove_line(quote.id, 1)
    svc.quotes.issue(quote.id)
    svc.quotes.send(quote.id)
    svc.quotes.accept(quote.id)
    svc.quotes.convert(quote.id)
    dropped = svc.quotes.create(NewQuote(customer_id=customer.id))
    svc.quotes.delete_draft(dropped.id)


@pytest.fixture
def demo_shop(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "demo.sqlite")
    fill_demo(svc, invoices=24, seed=3)
    every_kind_of_event(svc)
    yield svc
    svc.close()


def test_a_fresh_store_rebuilt_from_the_events_equals_the_original(
    demo_shop: Services, tmp_path: Path
) -> None:
    with open_services(tmp_path / "replayed.sqlite") as target:
        applied = replay_into(demo_shop.db, target.db)
        assert target.audit.verify().ok
    original, rebuilt = tables(demo_shop.path), tables(tmp_path / "replayed.sqlite")

    with demo_shop.db.read() as session:
        from sqlalchemy import func, select

        from invoicer.store.schema import AuditEvent

        assert applied == session.execute(select(func.count()).select_from(AuditEvent)).scalar()
    compared = set(original) - NOT_REPLAYED
    assert {"customers", "products", "invoices", "invoice_lines", "vat_groups", "payments",
            "payment_requests", "shop", "devices", "number_series", "vat_day_totals", "quotes",
            "audit_events", "audit_head", "recurring_templates",
            "recurring_runs"} <= compared  # fmt: skip
    assert set(rebuilt) == set(original)
    for name in sorted(compared):
        assert rebuilt[name] == original[name], name
    assert original["invoices"]
    assert original["payments"]
    assert original["quotes"]
    assert original["vat_day_totals"]
    assert original["recurring_runs"]


def test_replaying_again_adds_nothing(demo_shop: Services, tmp_path: Path) -> None:
    with open_services(tmp_path / "replayed.sqlite") as target:
        replay_into(demo_shop.db, target.db)
        before = tables(target.path)
        assert replay_into(demo_shop.db, target.db) == 0
        assert tables(target.path) == before


def test_a_changed_event_is_refused_by_the_replay(tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite"
    with open_services(source) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        svc.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS))
    tamper(source, "UPDATE audit_events SET state = replace(state, 'Jan', 'Piet') WHERE seq = 2")
    with open_services(source) as svc, open_services(tmp_path / "target.sqlite") as target:
        with pytest.raises(ReplayRefused, match="hash differs"):
            replay_into(svc.db, target.db)
        with target.db.read() as session:
            from sqlalchemy import text

            assert session.execute(text("SELECT COUNT(*) FROM audit_events")).scalar() == 0


def test_every_event_carries_its_id_device_actor_and_version(shop: Services) -> None:
    with as_device(shop, "tablet-1", actor="anna@example.com"):
        shop.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS))
    rows = all_rows(
        where(shop),
        "SELECT id, device_id, device_seq, actor, schema_version FROM audit_events ORDER BY seq",
    )
    assert len({row[0] for row in rows}) == len(rows) == 2
    assert all(len(row[0]) == 36 for row in rows)
    assert [row[1:3] for row in rows] == [("local", 1), ("tablet-1", 1)]
    assert rows[1][3] == "anna@example.com"
    assert {row[4] for row in rows} == {2}


def test_a_clock_with_a_time_zone_hashes_what_is_stored(shop: Services) -> None:
    cet = dt.timezone(dt.timedelta(hours=1))
    with as_device(shop, "device-b", now=lambda: dt.datetime(2026, 3, 16, 13, 5, tzinfo=cet)):
        shop.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS))
    assert shop.audit.verify().ok
    ((at,),) = all_rows(where(shop), "SELECT at FROM audit_events WHERE device_id = 'device-b'")
    assert str(at).startswith("2026-03-16 12:05:00")  # kept in UTC


# --- chains per device -----------------------------------------------------------------


def two_devices(svc: Services) -> dict[str, list[str]]:
    """A shop whose first device (local) and a second one (B) interleave their work."""
    svc.shop.save(ShopProfileChanges(**SHOP))
    svc.devices.register("local", "A", series_prefix="")
    with as_device(svc, "device-b"):
        svc.devices.register("device-b", "B")
    numbers: dict[str, list[str]] = {"local": [], "device-b": []}
    customer = svc.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
    for round_ in range(3):
        for device in ("local", "device-b"):
            with as_device(svc, device):
                draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
                svc.invoices.add_line(
                    draft.id, NewLine(description=f"Tea {round_}", unit_price="10")
                )
                numbers[device].append(svc.invoices.issue(draft.id).number or "")
    with as_device(svc, "device-b"):
        svc.credit_notes.create(numbers["device-b"][0], NewCreditNote())
    return numbers


def test_two_devices_interleaved_verify_and_number_from_their_own_series(shop: Services) -> None:
    numbers = two_devices(shop)

    report = shop.audit.verify()

    assert report.ok, report.problems
    year = shop.today().year
    assert numbers["local"] == [f"INV-{year}-{n:06d}" for n in (1, 2, 3)]  # as before devices
    assert numbers["device-b"] == [f"INV-{year}-B-{n:06d}" for n in (1, 2, 3)]
    notes = shop.invoices.list(kind="credit_note").items
    assert [n.number for n in notes] == [f"CN-{year}-B-000001"]
    heads = dict(all_rows(where(shop), "SELECT device_id, seq FROM audit_head"))
    ends = dict(
        all_rows(
            where(shop),
            "SELECT device_id, MAX(device_seq) FROM audit_events GROUP BY device_id",
        )
    )
    assert heads == ends
    assert set(heads) == {"local", "device-b"}


def test_a_change_in_one_devices_chain_is_found_there(shop: Services) -> None:
    two_devices(shop)
    ((seq,),) = all_rows(
        where(shop),
        "SELECT seq FROM audit_events WHERE device_id = 'device-b' AND device_seq = 3",
    )
    tamper(where(shop), f"UPDATE audit_events SET actor = 'mallory' WHERE seq = {seq}")

    report = shop.audit.verify()

    chain = [p for p in report.problems if p.kind == "chain"]
    assert [(p.event, "device device-b" in p.message) for p in chain] == [(seq, True)]
    assert "changed after it was written" in chain[0].message


def test_a_cut_tail_of_one_device_is_found(shop: Services) -> None:
    two_devices(shop)
    tamper(
        where(shop),
        "DELETE FROM audit_events WHERE device_id = 'device-b' AND device_seq = "
        "(SELECT MAX(device_seq) FROM audit_events WHERE device_id = 'device-b')",
    )

    report = shop.audit.verify()

    heads = [p.message for p in report.problems if p.kind == "head"]
    assert len(heads) == 1
    assert "device device-b was cut off" in heads[0]


def test_a_missing_event_of_one_device_is_found(shop: Services) -> None:
    two_devices(shop)
    tamper(
        where(shop),
        "DELETE FROM audit_events WHERE device_id = 'device-b' AND device_seq = 2",
    )

    problems = [p.message for p in shop.audit.verify().problems if p.kind == "chain"]

    assert problems == [problems[0]]
    assert "event 2 of device device-b is missing" in problems[0]


# The store compared table by table as SQLite prints it (the replay itself is portable).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_two_devices_replay_into_a_fresh_store(shop: Services, tmp_path: Path) -> None:
    two_devices(shop)
    with open_services(tmp_path / "replayed.sqlite") as target:
        replay_into(shop.db, target.db)
        assert target.audit.verify().ok
    original, rebuilt = tables(shop.path), tables(tmp_path / "replayed.sqlite")
    for name in sorted(set(original) - NOT_REPLAYED):
        assert rebuilt[name] == original[name], name


# --- devices ---------------------------------------------------------------------------


def test_a_device_code_and_prefix_are_taken_once(shop: Services) -> None:
    shop.devices.register("local", "A", series_prefix="")
    with pytest.raises(Conflict, match="shop's own number formats"):
        shop.devices.register("other", "C", series_prefix="")
    with pytest.raises(Conflict, match="already has the code A"):
        shop.devices.register("other", "A")
    with pytest.raises(ValidationError):
        shop.devices.register("other", "b c")
    assert [d.code for d in shop.devices.list()] == ["A"]


def test_issuing_dates_stay_in_order_per_device_series(shop: Services, clock: object) -> None:
    shop.devices.register("device-b", "B")
    customer = shop.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
    today = shop.today()
    with as_device(shop, "device-b"):
        draft = shop.invoices.create_draft(NewDraft(customer_id=customer))
        shop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="10"))
        shop.invoices.issue(draft.id)
    # The local series has nothing yet: an earlier date is fine there.
    draft = shop.invoices.create_draft(
        NewDraft(customer_id=customer, issue_date=today - dt.timedelta(days=3))
    )
    shop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="10"))
    assert shop.invoices.issue(draft.id).number == f"INV-{today.year}-000001"
