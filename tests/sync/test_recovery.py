"""What a device does when the server is not the one it left: a server restored from a
backup (its feed shorter than the device's cursor, its chains shorter than the acks), and
events this version cannot apply yet (kept in the inbox, never dropped)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import Services
from invoicer.services.sync import views
from invoicer.store import schema
from invoicer.store.database import backup_file
from invoicer.store.sync_schema import SyncInbox
from tests.sync.conftest import Opener, issue, make_shop


def _numbers(svc: Services) -> list[str]:
    with svc.read() as session:
        rows = session.execute(
            select(schema.Invoice.number).where(schema.Invoice.issued_at.is_not(None))
        )
        return sorted(str(n) for n in rows.scalars())


def test_a_server_restored_from_a_backup_gets_back_what_it_lost(
    open_device: Opener, server: Any, tmp_path: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    desk.sync.setup(server.url, name="Desk", **server.admin)
    backup = tmp_path / "server-backup.sqlite"
    backup_file(server.path, backup)

    issue(laptop, customer, 2)
    issue(desk, customer, 2)
    for svc in (laptop, desk, laptop):
        svc.sync.run()
    before = _numbers(laptop)
    assert len(before) == 4

    server.restore(backup)  # the server lost the four invoices
    assert _numbers(server.svc) == []
    for svc in (laptop, desk, laptop, desk):
        report = svc.sync.run()
        assert report.status.state != views.OFFLINE, report.status

    assert _numbers(server.svc) == before
    assert _numbers(desk) == _numbers(laptop) == before
    assert laptop.sync.status().pending == desk.sync.status().pending == 0


class _NewerSchema(httpx.BaseTransport):
    """The server's answers, with one device's events as a newer Invoicer would write them
    (the first of them from `after` on)."""

    def __init__(self, inner: httpx.BaseTransport | None, device_id: str) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.device_id = device_id
        self.on = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not (self.on and request.url.path == "/v1/sync/events"):
            return response
        response.read()
        body = json.loads(response.content)
        for event in body.get("events", []):
            if event["device_id"] == self.device_id and event["action"] == "invoice.issue":
                event["schema_version"] = 3
                break
        return httpx.Response(response.status_code, json=body)


def test_events_a_newer_invoicer_wrote_wait_in_the_inbox_with_the_rest_of_their_chain(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    issue(laptop, customer, 3)
    laptop.sync.run()

    desk = open_device("desk")
    newer = _NewerSchema(server.transport, laptop.ctx.device_id)
    desk.sync.connect = lambda url, token=None: SyncHttp(
        url, token=token, transport=newer, sleep=lambda _s: None
    )
    desk.sync.setup(server.url, name="Desk", **server.admin)

    status = desk.sync.status()
    assert status.state == views.ATTENTION
    assert status.waiting > 0
    assert "newer Invoicer" in status.message
    with desk.read() as session:
        kept = session.execute(select(SyncInbox)).scalars().all()
    assert kept[0].reason.startswith("Not applied yet")
    assert len(_numbers(desk)) < 3  # nothing after the newer event of that chain applied

    # An update that understands it: the inbox is applied, in order, before the next pull.
    with desk.write() as session:
        for row in session.execute(select(SyncInbox)).scalars():
            body = json.loads(row.body)
            body["schema_version"] = 2
            row.body = json.dumps(body)
    newer.on = False
    desk.sync.run()

    assert desk.sync.status().waiting == 0
    assert _numbers(desk) == _numbers(laptop)
    newer.inner.close()
