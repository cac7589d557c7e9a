"""Issue 20's scenarios with the real parts: `invoicer serve` as its own process on loopback (a
SQLite file, and PostgreSQL for the marked ones) and device stores in their own folders,
driven through svc.sync and `python -m invoicer --db PATH sync ...` (tests/sync/real_server.py).

History uploaded by the first device and downloaded by a new one; a push and a pull cut by
killing the server or the client process midway, then retried: nothing lost, nothing twice;
the same batch pushed twice and out of order; one customer edited on three devices (one with
its clock days ahead): one result everywhere, the server included; a revoked device; an old
client against this server.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from invoicer.domain.errors import Conflict
from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import Services
from invoicer.services.commands import (
    CustomerChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.services.context import FixedClock
from invoicer.services.sync import protocol, views
from invoicer.services.sync.conflicts import ConflictService
from invoicer.services.sync.protocol import event_from_wire, event_to_wire
from invoicer.store import schema
from invoicer.store.database import backup_file
from invoicer.store.replay import apply_events
from tests.server.conftest import PROFILE
from tests.sync.conftest import restore_file
from tests.sync.fleet import ShopClock, differences, store_content
from tests.sync.real_server import RealDevice, ServeProcess, kill_group

CUSTOMER = {"street": "Kerkstraat 5", "postcode": "3511 LX", "city": "Utrecht", "country": "NL"}
ON_POSTGRESQL = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
ON_SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def server(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServeProcess]:
    """The real server, started, with a shop signed up through the API."""
    database: Path | str = tmp_path / "server.sqlite"
    if backend == "postgresql":
        database = str(request.getfixturevalue("pg_url"))
    served = ServeProcess(tmp_path, database)
    served.start()
    served.sign_up(PROFILE)
    try:
        yield served
    finally:
        served.stop()


@dataclass
class Shop:
    server: ServeProcess
    folder: Path

    def device(self, name: str, clock: Any = None) -> RealDevice:
        return RealDevice(name, self.folder / name, clock)

    def setup(self, device: RealDevice, name: str) -> Services:
        """Set the device up in process (svc.sync.setup): its services."""
        svc = device.services()
        svc.sync.setup(
            self.server.url, name=name, email=self.server.email, password=self.server.password
        )
        return svc

    def setup_cli(self, device: RealDevice, name: str) -> str:
        """`invoicer sync setup URL --name NAME --email ...`, the password typed: its output."""
        done = device.cli(
            "sync",
            "setup",
            self.server.url,
            "--name",
            name,
            "--email",
            self.server.email,
            stdin=self.server.password + "\n",
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert self.server.password not in done.stdout + done.stderr
        return done.stdout


@pytest.fixture
def shop(server: ServeProcess, tmp_path: Path) -> Shop:
    return Shop(server, tmp_path / "devices")


def local_shop(svc: Services) -> str:
    """The merchant's shop as it was before sync: the profile and one customer."""
    svc.shop.save(ShopProfileChanges(**PROFILE))
    return svc.customers.add(NewCustomer(name="Café Zuid", **CUSTOMER)).id


def issue(svc: Services, customer: str, count: int = 1) -> list[str]:
    numbers = []
    for index in range(count):
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        svc.invoices.add_line(
            draft.id, NewLine(description=f"Loaf {index}", unit_price="4.50", quantity="2")
        )
        numbers.append(str(svc.invoices.issue(draft.id).number))
    return numbers


def numbers_of(svc: Services) -> list[str]:
    with svc.read() as session:
        found = session.execute(
            select(schema.Invoice.number).where(schema.Invoice.issued_at.is_not(None))
        )
        return sorted(str(number) for number in found.scalars())


def server_numbers(server: ServeProcess) -> list[str]:
    """The shop's issued numbers as the server's API lists them (every page)."""
    headers, found, cursor = server.admin_headers(), [], None
    for _page in range(1000):
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = httpx.get(f"{server.url}/v1/invoices", params=params, headers=headers, timeout=60)
        assert page.status_code == 200, page.text
        body = page.json()
        found += [row["number"] for row in body["data"] if row.get("number")]
        cursor = body.get("next_cursor")
        if not cursor:
            return sorted(found)
    raise AssertionError("the listing never ended")


def assert_same_stores(*devices: RealDevice) -> None:
    first, *others = [store_content(device.db) for device in devices]
    for other in others:
        assert other == first, list(differences(first, other))


def assert_sound(svc: Services) -> None:
    report = svc.audit.verify()
    assert report.ok, report
    numbers = numbers_of(svc)
    assert len(set(numbers)) == len(numbers)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


# -- history up, history down -----------------------------------------------------------------


@ON_POSTGRESQL
def test_a_shops_history_goes_up_with_its_first_device_and_down_to_a_new_one(
    shop: Shop,
) -> None:
    laptop = shop.device("laptop")
    with laptop.services() as svc:  # months of work before sync was set up
        customer = local_shop(svc)
        before = issue(svc, customer, 30)
        svc.payments.add(before[0], RecordPayment(amount="9.00"))
    out = shop.setup_cli(laptop, "Laptop")
    assert "syncs with" in out
    assert "dv_" not in out
    assert server_numbers(shop.server) == before  # the first device keeps its numbers

    desk = shop.device("desk")
    seen: list[tuple[str, int, int | None]] = []
    with desk.services() as svc:
        report = svc.sync.setup(
            shop.server.url,
            name="Desk",
            email=shop.server.email,
            password=shop.server.password,
            progress=lambda *a: seen.append(a),
        )
        assert report.status.state == views.SYNCED, report.status
        assert numbers_of(svc) == before
        assert svc.invoices.get(before[0]).paid == 9
        (own,) = issue(svc, svc.customers.list().items[0].id)
        assert own not in before
    assert seen
    assert "pull" in {phase for phase, *_ in seen}
    assert max(done for phase, done, _ in seen if phase == "pull") >= 30 * 3

    for device in (desk, laptop, desk):
        done = device.cli("sync")
        assert done.returncode == 0, done.stdout + done.stderr
    assert server_numbers(shop.server) == sorted([*before, own])
    assert_same_stores(laptop, desk)
    for device in (laptop, desk):
        with device.services() as svc:
            assert_sound(svc)
            assert svc.sync.status().pending == 0


# -- cut in the middle ------------------------------------------------------------------------


def _feed_count(server: ServeProcess, device_id: str) -> int:
    return server.count(
        "SELECT count(*) FROM sync_feed f JOIN audit_events e "
        "ON e.shop_id = f.shop_id AND e.id = f.event_id "
        "WHERE f.shop_id = :shop AND e.device_id = :device",
        shop=server.shop_id,
        device=device_id,
    )


def _own_events(device: RealDevice, device_id: str) -> int:
    return device.count(f"SELECT count(*) FROM audit_events WHERE device_id = '{device_id}'")


@ON_POSTGRESQL
@pytest.mark.parametrize("killed", ["server", "client"])
def test_a_push_cut_midway_then_retried_loses_nothing_and_doubles_nothing(
    shop: Shop, killed: str
) -> None:
    laptop = shop.device("laptop")
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    with laptop.services() as svc:
        device_id = svc.ctx.device_id
        offline = issue(svc, customer, 400)  # 1200 events: three batches up
    total = _own_events(laptop, device_id)
    assert total > 2 * protocol.MAX_BATCH
    already = _feed_count(shop.server, device_id)

    pushing = laptop.cli_started("sync")
    wait_for(
        lambda: _feed_count(shop.server, device_id) > already or pushing.poll() is not None,
        "the first batch on the server",
    )
    assert pushing.poll() is None, laptop.cli_log.read_text()
    if killed == "server":
        shop.server.kill()
        pushing.wait(timeout=120)  # the client gives up after its retries: offline
        assert pushing.returncode == 1
        shop.server.start()
    else:
        kill_group(pushing)
    got = _feed_count(shop.server, device_id)
    assert already < got < total, "cut midway"

    done = laptop.cli("sync")
    assert done.returncode == 0, done.stdout + done.stderr
    places = shop.server.feed_of(device_id)
    assert [seq for seq, _ in places] == list(range(1, total + 1))  # each once, in order
    assert len({server_seq for _, server_seq in places}) == total
    assert server_numbers(shop.server) == sorted(offline)
    with laptop.services() as svc:
        assert svc.sync.status().pending == 0

    desk = shop.device("desk")
    with shop.setup(desk, "Desk") as svc:
        assert numbers_of(svc) == sorted(offline)
        assert_sound(svc)
    assert laptop.cli("sync").returncode == 0
    assert_same_stores(laptop, desk)


@ON_POSTGRESQL
@pytest.mark.parametrize("killed", ["client", "server"])
def test_a_pull_cut_midway_then_retried_loses_nothing_and_doubles_nothing(
    shop: Shop, killed: str
) -> None:
    laptop = shop.device("laptop")
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    desk = shop.device("desk")
    shop.setup(desk, "Desk").close()
    with laptop.services() as svc:
        laptop_id = svc.ctx.device_id
        sent = issue(svc, customer, 400)
        svc.sync.run()
        assert svc.sync.status().pending == 0
    before = desk.count("SELECT count(*) FROM audit_events")
    coming = _own_events(laptop, laptop_id) - _own_events(desk, laptop_id)
    assert coming > 2 * protocol.MAX_BATCH

    pulling = desk.cli_started("sync")
    wait_for(
        lambda: (
            desk.count("SELECT count(*) FROM audit_events") > before or pulling.poll() is not None
        ),
        "the first batch applied on the desk",
    )
    assert pulling.poll() is None, desk.cli_log.read_text()
    if killed == "server":
        shop.server.kill()
        pulling.wait(timeout=120)
        assert pulling.returncode == 1
        shop.server.start()
    else:
        kill_group(pulling)
    got = desk.count("SELECT count(*) FROM audit_events")
    assert before < got < before + coming, "cut midway"
    with desk.services() as svc:  # what it has is whole: batches that committed
        assert_sound(svc)

    done = desk.cli("sync")
    assert done.returncode == 0, done.stdout + done.stderr
    with desk.services() as svc:
        assert numbers_of(svc) == sorted(sent)
        assert_sound(svc)
    assert desk.count("SELECT count(*) FROM audit_events") == before + coming
    assert laptop.cli("sync").returncode == 0
    assert_same_stores(laptop, desk)


# -- the same batch twice, out of order --------------------------------------------------------


def _device_call(
    server: ServeProcess, token: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", protocol.SCHEMA_HEADER: "2"}
    return httpx.request(method, f"{server.url}{path}", headers=headers, timeout=60, **kwargs)


@ON_SQLITE
def test_the_same_batch_twice_and_batches_out_of_order_change_nothing(shop: Shop) -> None:
    laptop = shop.device("laptop")
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    with laptop.services() as svc:
        device_id, token = svc.ctx.device_id, str(svc.ctx.secrets.get_secret("sync_token"))
        numbers = issue(svc, customer, 6)
        with svc.read() as session:
            events = [
                event_to_wire(event)
                for event in session.execute(
                    select(schema.AuditEvent)
                    .where(schema.AuditEvent.device_id == device_id)
                    .order_by(schema.AuditEvent.device_seq)
                ).scalars()
            ]
    head = _device_call(shop.server, token, "GET", "/v1/sync/state").json()["chains"][device_id]
    unsent = [event for event in events if event["device_seq"] > head]
    first, second = unsent[:9], unsent[9:]

    # The second batch before the first: a gap, the place to resend from, nothing stored.
    early = _device_call(shop.server, token, "POST", "/v1/sync/push", json={"events": second})
    assert early.status_code == 409, early.text
    assert early.json()["error"]["code"] == protocol.GAP
    assert early.json()["error"]["resend_from"] == head + 1
    assert _feed_count(shop.server, device_id) == head

    answers = []
    for batch in (first, first, second, second, unsent):
        pushed = _device_call(shop.server, token, "POST", "/v1/sync/push", json={"events": batch})
        assert pushed.status_code == 200, pushed.text
        results = pushed.json()["results"]
        answers.append({r["device_seq"]: (r["status"], r["server_seq"]) for r in results})
    assert {s for s, _ in answers[0].values()} == {"stored"}
    assert {s for s, _ in answers[1].values()} == {"duplicate"}
    assert {seq: place for seq, (_, place) in answers[1].items()} == {
        seq: place for seq, (_, place) in answers[0].items()
    }  # the same event again answers its place
    assert {s for s, _ in answers[3].values()} == {"duplicate"}
    assert {s for s, _ in answers[4].values()} == {"duplicate"}
    assert [seq for seq, _ in shop.server.feed_of(device_id)] == list(range(1, len(events) + 1))

    # The device, which never heard the answers, syncs: it learns the server has them all.
    assert laptop.cli("sync").returncode == 0
    with laptop.services() as svc:
        assert svc.sync.status().pending == 0
    assert server_numbers(shop.server) == sorted(numbers)

    # A page read twice from one cursor is the same page; applying it twice changes nothing.
    desk = shop.device("desk")
    shop.setup(desk, "Desk").close()
    with desk.services() as svc:
        desk_token = str(svc.ctx.secrets.get_secret("sync_token"))
    pages = [
        _device_call(shop.server, desk_token, "GET", "/v1/sync/events", params={"limit": 7})
        for _ in range(2)
    ]
    assert pages[0].json()["events"] == pages[1].json()["events"]
    before = store_content(desk.db)
    again = [event_from_wire(event) for event in pages[0].json()["events"]]
    with desk.services() as svc, svc.write() as session:
        assert apply_events(session, again) == 0
    assert store_content(desk.db) == before
    assert laptop.cli("sync").returncode == 0
    assert desk.cli("sync").returncode == 0
    assert_same_stores(laptop, desk)


# -- one customer, three devices --------------------------------------------------------------


@ON_POSTGRESQL
def test_one_customer_edited_on_three_devices_ends_the_same_everywhere(shop: Shop) -> None:
    laptop, desk = shop.device("laptop"), shop.device("desk")
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    phone = shop.device("phone", FixedClock(ahead))  # its clock runs three days ahead
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    shop.setup(desk, "Desk").close()
    shop.setup(phone, "Phone").close()

    edits = {
        laptop: CustomerChanges(name="Café Zuid B.V.", vat_number="NL810433941B01"),
        desk: CustomerChanges(name="Cafe Zuid", city="Haarlem", vat_number="NL123456782B01"),
        phone: CustomerChanges(name="Café Zuid (terras)", email="terras@example.nl"),
    }
    for device, changes in edits.items():  # all offline, none has seen another's edit
        with device.services() as svc:
            svc.customers.update(customer, changes)
    for device in (phone, desk, laptop, phone, desk):
        done = device.cli("sync")
        assert done.returncode == 0, done.stdout + done.stderr

    seen = []
    conflicts = []
    for device in (laptop, desk, phone):
        with device.services() as svc:
            got = svc.customers.get(customer)
            seen.append((got.name, got.city, got.email, got.vat_number))
            found = ConflictService(svc.db, svc.ctx).list()
            conflicts.append([(c.id, sorted(str(v.value) for v in c.values)) for c in found])
            assert_sound(svc)
    assert len(set(seen)) == 1, seen
    name, city, email, _vat = seen[0]
    assert (city, email) == ("Haarlem", "terras@example.nl")  # different fields: both stand
    assert name in {changes.name for changes in edits.values()}
    assert conflicts[0] == conflicts[1] == conflicts[2]
    assert conflicts[0] == [
        (f"customer:{customer}:vat_number", ["NL123456782B01", "NL810433941B01"])
    ]
    on_server = httpx.get(
        f"{shop.server.url}/v1/customers/{customer}",
        headers=shop.server.admin_headers(),
        timeout=60,
    ).json()
    fields = ("name", "city", "email", "vat_number")
    assert tuple(on_server[field] for field in fields) == seen[0]

    # A person on the phone keeps the laptop's number; every device follows.
    with phone.services() as svc:
        service = ConflictService(svc.db, svc.ctx)
        (open_,) = service.list()
        keep = next(v for v in open_.values if v.value == "NL810433941B01")
        service.resolve(open_.id, keep.stamp)
    for device in (phone, laptop, desk):
        assert device.cli("sync").returncode == 0
    for device in (laptop, desk, phone):
        with device.services() as svc:
            assert svc.customers.get(customer).vat_number == "NL810433941B01"
            assert ConflictService(svc.db, svc.ctx).list() == ()
    assert_same_stores(laptop, desk, phone)


# -- a revoked device --------------------------------------------------------------------------


@ON_SQLITE
def test_a_revoked_device_is_told_its_offline_invoice_is_kept_and_flagged(shop: Shop) -> None:
    laptop, till = shop.device("laptop"), shop.device("till")
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    shop.setup(till, "Till").close()
    with till.services() as svc:
        till_id = svc.ctx.device_id
        (offline,) = issue(svc, customer)  # before it learns of the revocation

    revoked = laptop.cli(
        "sync", "revoke", till_id, "--email", shop.server.email, stdin=shop.server.password + "\n"
    )
    assert revoked.returncode == 0, revoked.stdout + revoked.stderr
    assert "Revoked device" in revoked.stdout

    told = till.cli("sync")
    assert told.returncode == 1
    assert "revoked" in told.stdout
    assert "Traceback" not in told.stdout + told.stderr
    assert offline in server_numbers(shop.server)  # a legal document: accepted
    reviews = httpx.get(
        f"{shop.server.url}/v1/sync/reviews", headers=shop.server.admin_headers(), timeout=60
    )
    assert reviews.status_code == 200, reviews.text
    flagged = reviews.json()["data"]
    assert [r for r in flagged if r.get("action") == "invoice.issue"], flagged

    with till.services() as svc:
        with pytest.raises(Conflict, match="revoked"):
            issue(svc, customer)
        assert offline in numbers_of(svc)  # it keeps working with what it has
    assert laptop.cli("sync").returncode == 0
    with laptop.services() as svc:
        assert offline in numbers_of(svc)
        assert_sound(svc)


# -- an old client -----------------------------------------------------------------------------


@ON_SQLITE
def test_an_old_client_is_told_to_update_and_loses_nothing(shop: Shop) -> None:
    laptop = shop.device("laptop")
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    with laptop.services() as svc:
        token = str(svc.ctx.secrets.get_secret("sync_token"))
        waiting = issue(svc, customer, 2)

    old = httpx.get(
        f"{shop.server.url}/v1/sync/state",
        headers={"Authorization": f"Bearer {token}", protocol.SCHEMA_HEADER: "1"},
        timeout=60,
    )
    assert old.status_code == 426, old.text
    assert old.json()["error"]["code"] == protocol.CLIENT_OUTDATED
    assert "Update Invoicer" in old.json()["error"]["message"]

    with laptop.services() as svc:
        svc.sync.connect = lambda url, token=None: SyncHttp(url, token=token, schema=1)
        report = svc.sync.run()
        assert "Update Invoicer" in report.status.message
        assert report.status.pending > 0  # kept, to go up after the update
        assert waiting[0] not in server_numbers(shop.server)
    assert laptop.cli("sync").returncode == 0  # the updated client sends it all
    assert server_numbers(shop.server) == sorted(waiting)


# -- a quarter offline, through the real server ------------------------------------------------

DAYS, PER_DEVICE = 90, 500


@ON_SQLITE
@pytest.mark.slow
def test_two_devices_offline_for_90_days_converge_through_the_server_whichever_syncs_first(
    shop: Shop, tmp_path: Path
) -> None:
    start = dt.date.today() - dt.timedelta(days=DAYS + 5)
    calendar = [start]
    laptop = shop.device("laptop", ShopClock(calendar))
    desk = shop.device("desk", ShopClock(calendar, 3))  # its clock runs three days ahead
    with laptop.services() as svc:
        customer = local_shop(svc)
    shop.setup_cli(laptop, "Laptop")
    shop.setup(desk, "Desk").close()
    issued: dict[str, list[str]] = {"laptop": [], "desk": []}
    with laptop.services() as ours, desk.services() as theirs:
        for day in range(DAYS):
            calendar[0] = start + dt.timedelta(days=day)
            due = PER_DEVICE * (day + 1) // DAYS - PER_DEVICE * day // DAYS
            issued["laptop"] += issue(ours, customer, due)
            issued["desk"] += issue(theirs, customer, due)
    assert len(set(issued["laptop"]) | set(issued["desk"])) == 2 * PER_DEVICE

    # The server and both stores as they are now, twice: the laptop syncs first in one world,
    # the desk in the other.
    shop.server.stop()
    files = {"server": Path(str(shop.server.database)), "laptop": laptop.db, "desk": desk.db}
    saved = tmp_path / "saved"
    saved.mkdir()
    for name, path in files.items():
        backup_file(path, saved / name)
    results = {}
    for first, second in ((laptop, desk), (desk, laptop)):
        for name, path in files.items():
            restore_file(saved / name, path)
        shop.server.start()
        for device in (first, second, first):
            done = device.cli("sync")
            assert done.returncode == 0, done.stdout + done.stderr
        for device in (laptop, desk):
            with device.services() as svc:
                assert_sound(svc)
                assert svc.sync.status().pending == 0
        results[first.name] = (
            server_numbers(shop.server),
            store_content(laptop.db),
            store_content(desk.db),
        )
        shop.server.stop()

    everyone = sorted(issued["laptop"] + issued["desk"])
    contents = []
    for numbers, *stores in results.values():
        assert numbers == everyone
        contents += stores
    for other in contents[1:]:
        assert other == contents[0], list(differences(contents[0], other))
