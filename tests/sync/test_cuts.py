"""A connection cut in the middle of a push (the server stored the batch, its answer never
came back) and in the middle of a pull (after the first batch): the run says offline, the
next one goes on from where it was, and nothing is lost or doubled."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer
from invoicer.services.sync import views
from invoicer.store import schema
from tests.sync.conftest import CUSTOMER, Opener, issue, make_shop


class Cutting(httpx.BaseTransport):
    """The server's transport, cut on the `nth` request to `path` and after: the request
    reaches the server (`after_sending`) or not."""

    def __init__(self, inner: httpx.BaseTransport | None, path: str, nth: int) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.path, self.nth, self.seen = path, nth, 0
        self.after_sending = True
        self.cut = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path:
            self.seen += 1
            if self.cut and self.seen >= self.nth:
                if self.after_sending:
                    self.inner.handle_request(request).read()  # stored, the answer lost
                raise httpx.ReadError("connection reset", request=request)
        return self.inner.handle_request(request)


def _use(svc: Services, transport: httpx.BaseTransport) -> None:
    svc.sync.connect = lambda url, token=None: SyncHttp(
        url, token=token, transport=transport, sleep=lambda _s: None
    )


def _counts(svc: Services) -> tuple[int, int]:
    with svc.read() as session:
        events = session.execute(select(func.count()).select_from(schema.AuditEvent)).scalar()
        invoices = session.execute(
            select(func.count()).where(schema.Invoice.issued_at.is_not(None))
        ).scalar()
    return int(events or 0), int(invoices or 0)


def test_a_push_whose_answer_is_lost_is_sent_again_and_stored_once(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    issue(laptop, customer, 3)
    cutting = Cutting(server.transport, "/v1/sync/push", nth=1)
    _use(laptop, cutting)

    cut = laptop.sync.run()

    assert cut.status.state == views.OFFLINE
    assert cut.status.pending > 0  # not confirmed, though the server has them
    cutting.cut = False
    again = laptop.sync.run()
    assert again.status.pending == 0
    assert again.pushed == 0  # all duplicates: stored the first time
    assert _counts(server.svc)[1] == _counts(laptop)[1] == 3
    cutting.inner.close()


@pytest.mark.parametrize("server", ["live"], indirect=True)
def test_a_pull_cut_after_its_first_batch_goes_on_from_its_cursor(
    open_device: Opener, server: Any
) -> None:
    laptop = open_device("laptop")
    customer = make_shop(laptop)
    issue(laptop, customer, 200)  # over one pull batch
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    cutting = Cutting(server.transport, "/v1/sync/events", nth=2)
    cutting.after_sending = False
    _use(desk, cutting)

    cut = desk.sync.setup(server.url, name="Desk", **server.admin)

    assert cut.status.state == views.OFFLINE
    assert 0 < cut.pulled < _counts(laptop)[0]  # the first batch is in, with its cursor
    cutting.cut = False
    desk.sync.run()
    assert _counts(desk)[1] == 200
    with desk.read() as session:
        ids = session.execute(select(schema.AuditEvent.id)).scalars().all()
    assert len(ids) == len(set(ids))
    cutting.inner.close()


def test_a_device_cut_off_before_its_first_sync_does_not_number_yet(
    open_device: Opener, server: Any
) -> None:
    from invoicer.domain.errors import Conflict

    laptop = open_device("laptop")
    customer = make_shop(laptop)
    laptop.sync.setup(server.url, name="Laptop", email=server.email, password=server.password)
    desk = open_device("desk")
    cutting = Cutting(server.transport, "/v1/sync/state", nth=1)
    cutting.after_sending = False
    _use(desk, cutting)

    try:
        cut = desk.sync.setup(server.url, name="Desk", **server.admin)  # registered only
        assert cut.status.state == views.OFFLINE
        own = desk.customers.add(NewCustomer(**CUSTOMER)).id  # customers need no series
        with pytest.raises(Conflict, match=r"own number series|shop profile first"):
            issue(desk, own)
        cutting.cut = False
        desk.sync.run()
        (number,) = issue(desk, customer)
        assert "-B-" in number
    finally:
        cutting.inner.close()
