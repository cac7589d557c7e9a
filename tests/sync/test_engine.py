"""A device's sync engine against the contract's routes over a real server store: set-up with
and without history, two devices converging, their own number series, offline and back,
a revoked device, the credential only in the keyring."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from invoicer.services.sync import views
from invoicer.store import schema
from invoicer.store.audit import verify_chain
from invoicer.store.database import open_database
from invoicer.store.sync_schema import SyncLink
from tests.sync.conftest import CUSTOMER, Opener, issue, make_shop, on_every_server


def _numbers(svc: Services) -> list[str]:
    with svc.read() as session:
        rows = session.execute(
            select(schema.Invoice.number).where(schema.Invoice.issued_at.is_not(None))
        )
        return sorted(str(n) for n in rows.scalars())


def _event_ids(svc: Services) -> set[str]:
    with svc.read() as session:
        return set(session.execute(select(schema.AuditEvent.id)).scalars())


def test_a_store_with_history_uploads_it_and_a_new_device_downloads_it(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    before = issue(laptop, customer, 3)
    seen: list[tuple[str, int, int | None]] = []

    report = laptop.sync.setup(
        server.url,
        name="Laptop",
        email=server.email,
        password=server.password,
        progress=lambda *a: seen.append(a),
    )

    assert report.pushed >= 3 * 3  # a draft, its line, its issue per invoice at least
    assert {phase for phase, *_ in seen} >= {"push"}
    assert _event_ids(laptop) <= _event_ids(server.svc)
    assert _numbers(server.svc) == before  # the first device keeps its numbers
    assert report.status.pending == 0
    # The credential is in the keyring only: never in the database.
    token = laptop.ctx.secrets.get_secret("sync_token")
    assert token
    assert token.startswith("dv_")
    with laptop.read() as session:
        link = session.execute(select(SyncLink)).scalar_one()
        assert token not in repr(vars(link))
    assert laptop.ctx.device_id == link.device_id

    desk = open_device("desk")
    down = desk.sync.setup(server.url, name="Desk", **server.admin)

    assert down.pulled >= len(_event_ids(laptop))
    assert _numbers(desk) == before
    assert desk.ctx.device_id not in (laptop.ctx.device_id, "local")
    (own,) = issue(desk, desk.customers.list().items[0].id)
    assert own.split("-")[2] == down.status.device_code  # its own series: INV-2026-B-000001
    assert own not in before
    assert verify_chain_ok(desk)


def verify_chain_ok(svc: Services) -> bool:
    with svc.read() as session:
        report = verify_chain(session)
    assert report.ok, report.breaks
    return True


@on_every_server
def test_both_devices_sync_to_the_same_invoices_and_numbers_never_clash(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    issue(laptop, customer, 2)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    desk.sync.setup(server.url, name="Desk", **server.admin)

    issue(laptop, customer, 3)  # both offline from each other, then sync in turn
    issue(desk, customer, 4)
    for svc in (laptop, desk, laptop):
        report = svc.sync.run()
        assert report.status.state != views.OFFLINE

    assert _numbers(laptop) == _numbers(desk) == _numbers(server.svc)
    assert len(set(_numbers(desk))) == 2 + 3 + 4
    assert {laptop.sync.status().state, desk.sync.status().state} == {views.SYNCED}
    assert _event_ids(laptop) == _event_ids(desk)
    assert verify_chain_ok(laptop)
    assert verify_chain_ok(desk)


def test_reopened_services_write_as_the_linked_device(open_device: Opener, server: Any) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    device = laptop.ctx.device_id
    laptop.close()

    again = open_device("laptop")
    issue(again, customer)

    assert again.ctx.device_id == device
    status = again.sync.status()
    assert status.state == views.PENDING
    assert status.message == f"{status.pending} changes waiting to be sent"
    with again.read() as session:
        newest = session.execute(
            select(schema.AuditEvent).order_by(schema.AuditEvent.seq.desc()).limit(1)
        ).scalar_one()
    assert newest.device_id == device


@on_every_server
def test_offline_is_a_status_not_an_error_and_it_catches_up(
    open_device: Opener, server: Any, clock: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    issue(laptop, customer, 2)

    server.up = False
    clock.advance(minutes=5)
    report = laptop.sync.run()

    status = laptop.sync.status()
    assert report.status.state == status.state == views.OFFLINE, status
    assert status.pending > 0
    assert status.message.startswith("Offline since ")
    assert f"{status.pending} changes waiting" in status.message
    assert status.last_error
    assert "dv_" not in status.last_error

    server.up = True
    clock.advance(minutes=3)
    back = laptop.sync.run()
    assert back.status.pending == 0
    assert back.status.state == views.SYNCED
    assert _numbers(server.svc) == _numbers(laptop)
    clock.advance(minutes=3)
    assert laptop.sync.status().message == "Synced 3 minutes ago"


@on_every_server
def test_a_revoked_device_keeps_working_locally_but_cannot_issue(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    desk.sync.setup(server.url, name="Desk", **server.admin)
    draft = desk.invoices.create_draft(NewDraft(customer_id=customer))
    (offline,) = issue(desk, customer)  # before it learns of the revocation: legal

    revoked = laptop.sync.revoke(desk.ctx.device_id, **server.admin)
    assert revoked.revoked_at is not None
    desk.sync.run()

    assert offline in _numbers(server.svc)  # accepted (flagged for review), never lost

    status = desk.sync.status()
    assert status.state == views.ATTENTION
    assert status.revoked
    assert "revoked" in status.message
    assert "cannot issue" in status.message
    with pytest.raises(Conflict, match="revoked"):
        issue(desk, customer)
    # Drafts and customers keep working; the draft is its device's own.
    desk.customers.add(NewCustomer(**{**CUSTOMER, "name": "Still works B.V."}))
    desk.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="1.00", quantity="1"))
    assert laptop.sync.devices()


def test_setup_refuses_a_linked_store_and_says_what_is_missing(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    with pytest.raises(ValidationError) as caught:
        laptop.sync.setup("ftp://x", name="", email=None)
    assert {p.field for p in caught.value.problems} == {"url", "name", "credentials"}
    laptop.sync.setup(server.url, name="Laptop", **server.admin)
    with pytest.raises(Conflict, match="already syncs"):
        laptop.sync.setup(server.url, name="Again", **server.admin)


def test_a_second_store_of_the_same_computer_user_is_refused_not_overwritten(
    open_device: Opener, server: Any, tmp_path: Any
) -> None:
    laptop = open_device("laptop")
    laptop.sync.setup(server.url, name="Laptop", **server.admin)
    token = laptop.ctx.secrets.get_secret("sync_token")
    same_keyring = dataclasses.replace(laptop.ctx, device_id="local")
    other = Services(open_database(tmp_path / "other.sqlite"), same_keyring)

    with pytest.raises(Conflict, match="secrets delete sync_token"):
        other.sync.setup(server.url, name="Other", **server.admin)
    assert laptop.ctx.secrets.get_secret("sync_token") == token
    other.close()


def test_a_second_store_with_history_is_told_to_start_empty(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    issue(laptop, customer)
    laptop.sync.setup(server.url, name="Laptop", **server.admin)
    other = open_device("other")
    make_shop(other)

    with pytest.raises(Conflict, match="must start from an empty store"):
        other.sync.setup(server.url, name="Other", **server.admin)
    assert other.sync.status().state == views.OFF
    assert other.ctx.secrets.get_secret("sync_token") is None


def test_a_device_restored_from_an_old_backup_forks_and_is_told(
    open_device: Opener, server: Any, tmp_path: Any
) -> None:
    from invoicer.store.database import backup_file
    from tests.sync.conftest import restore_file

    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    backup = tmp_path / "laptop-backup.sqlite"
    backup_file(laptop.path, backup)
    issue(laptop, customer)
    laptop.sync.run()
    laptop.close()
    restore_file(backup, laptop.path)

    again = open_device("laptop")
    issue(again, customer)  # the same places in its chain, other events
    report = again.sync.run()

    assert report.status.state == views.ATTENTION
    assert report.status.quarantined
    assert "stopped this device's sync" in report.status.message


@pytest.mark.parametrize("server", ["live"], indirect=True)
def test_history_goes_up_and_down_in_batches_with_progress(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    issued = issue(laptop, customer, 180)  # three events each: more than one batch
    up: list[tuple[str, int, int | None]] = []
    laptop.sync.setup(
        server.url,
        name="Laptop",
        email=server.email,
        password=server.password,
        progress=lambda *a: up.append(a),
    )
    pushes = [a for a in up if a[0] == "push"]
    assert len(pushes) >= 2
    assert pushes[-1][1] == pushes[-1][2]  # all of it, as announced

    desk = open_device("desk")
    down: list[tuple[str, int, int | None]] = []
    report = desk.sync.setup(
        server.url, name="Desk", progress=lambda *a: down.append(a), **server.admin
    )

    pulls = [a for a in down if a[0] == "pull"]
    assert len(pulls) >= 2
    assert pulls[-1][1] == report.pulled
    assert pulls[-1][1] == pulls[-1][2]  # the announced total is reached
    first = [a for a in up if a[0] == "pull"]
    assert first[-1][2] is not None
    assert first[-1][2] >= first[-1][1] * 0.9  # the total counts what the push added
    assert _numbers(desk) == sorted(issued)


@on_every_server
def test_a_device_whose_clock_is_days_ahead_changes_nothing(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk", ahead=dt.timedelta(days=3))
    desk.sync.setup(server.url, name="Desk", **server.admin)

    issue(desk, customer, 2)  # stamped three days "later"
    issue(laptop, customer, 2)
    for svc in (desk, laptop, desk):
        assert svc.sync.run().status.state != views.OFFLINE

    assert _numbers(desk) == _numbers(laptop)
    assert len(_numbers(laptop)) == 4
    assert desk.sync.status().pending == laptop.sync.status().pending == 0


@pytest.mark.parametrize("server", ["live"], indirect=True)
def test_an_old_client_is_told_to_update(open_device: Opener, server: Any) -> None:
    laptop = open_device("laptop")
    make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    laptop.sync.connect = lambda url, token=None: SyncHttp(url, token=token, schema=1)

    report = laptop.sync.run()

    assert report.status.state == views.ATTENTION
    assert "Update Invoicer" in report.status.message


@on_every_server
def test_concurrent_vat_numbers_are_a_conflict_a_person_settles_everywhere(
    open_device: Opener, server: Any
) -> None:
    from invoicer.services.commands import CustomerChanges

    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    desk.sync.setup(server.url, name="Desk", **server.admin)

    laptop.customers.update(customer, CustomerChanges(vat_number="NL000099998B57"))
    desk.customers.update(customer, CustomerChanges(vat_number="NL004495445B01"))
    for svc in (laptop, desk, laptop):
        svc.sync.run()

    (conflict,) = laptop.sync.conflicts()
    assert [c.id for c in desk.sync.conflicts()] == [conflict.id]
    assert laptop.sync.status().conflicts == 1
    assert "conflict" in laptop.sync.status().message
    chosen = next(v for v in conflict.values if v.value == "NL004495445B01")
    laptop.sync.resolve(conflict.id, chosen.stamp)
    for svc in (laptop, desk):
        svc.sync.run()

    assert laptop.sync.conflicts() == desk.sync.conflicts() == ()
    assert desk.customers.get(customer).vat_number == "NL004495445B01"
    assert laptop.customers.get(customer).vat_number == "NL004495445B01"


def test_a_store_that_brings_its_history_keeps_its_own_shop_profile(
    open_device: Opener, server: Any
) -> None:
    from invoicer.services.commands import ShopProfileChanges
    from tests.sync.conftest import PROFILE

    laptop = open_device("laptop")
    laptop.shop.save(
        ShopProfileChanges(**{**PROFILE, "city": "Haarlem", "iban": "NL44RABO0123456789"})
    )
    laptop.customers.add(NewCustomer(**CUSTOMER))
    ours = laptop.shop.get()
    assert (server.svc.shop.get().city, server.svc.shop.get().iban) != (ours.city, ours.iban)

    report = laptop.sync.setup(
        server.url, name="Laptop", email=server.email, password=server.password
    )
    desktop = open_device("desktop")
    desktop.sync.setup(server.url, name="Desktop", email=server.email, password=server.password)

    assert report.status.state == views.SYNCED
    for svc in (laptop, server.svc, desktop):
        got = svc.shop.get()
        assert (got.city, got.iban, got.legal_name) == (ours.city, ours.iban, ours.legal_name)
    assert laptop.sync.conflicts() == desktop.sync.conflicts() == ()
