"""The server's recurring scheduler: the templates the server runs are billed once per
period for every shop; a device's templates are left to that device."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.server.auth import shop_services
from invoicer.server.recurring_scheduler import run_all
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewLine, NewRecurring
from invoicer.store.database import open_database
from tests.server.conftest import MovableClock, make_config, sign_up


def subscription(svc: Services, start: dt.date) -> str:
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA",
            city="Amsterdam",
        )
    )  # fmt: skip
    return svc.recurring.create(
        NewRecurring(
            customer_id=customer.id, name="Hosting", frequency="weekly", start_date=start,
            auto_issue=True, lines=[NewLine(description="Hosting", unit_price="5.00")],
        )
    ).id  # fmt: skip


def test_the_scheduler_bills_the_servers_templates_once(
    tmp_path: Path, clock: MovableClock
) -> None:
    path = str(tmp_path / "server.sqlite")
    db = open_database(path)
    app = create_app(make_config(path), db=db, clock=clock)
    with TestClient(app, base_url="http://testserver"):
        state = app.state.invoicer
        today = clock.today()
        web = sign_up(TestClient(app, base_url="http://testserver"))
        other = sign_up(TestClient(app, base_url="http://testserver"), "b@example.org")
        server_svc = shop_services(state, web.shop_id, "tester")
        ours = subscription(server_svc, today - dt.timedelta(days=7))
        device_svc = shop_services(state, other.shop_id, "tester")
        device_svc.use_context(dataclasses.replace(device_svc.ctx, device_id="device-x"))
        theirs = subscription(device_svc, today - dt.timedelta(days=7))
        [run] = run_all(state)
        assert run.shop_id == web.shop_id
        assert run.report is not None
        assert [m.number for m in run.report.made] == ["INV-2026-000001", "INV-2026-000002"]
        [again] = run_all(state)
        assert again.report is not None
        assert again.report.made == ()
        assert len(server_svc.recurring.runs(ours)) == 2
        assert device_svc.recurring.runs(theirs) == ()
    db.close()


def test_serve_run_recurring_once_from_the_command_line(
    tmp_path: Path, clock: MovableClock
) -> None:
    from tests.server.test_serve_process import invoke

    path = str(tmp_path / "server.sqlite")
    db = open_database(path)
    app = create_app(make_config(path), db=db, clock=clock)
    with TestClient(app, base_url="http://testserver") as client:
        shop = sign_up(client)
        svc = shop_services(app.state.invoicer, shop.shop_id, "tester")
        subscription(svc, dt.date.today() - dt.timedelta(days=1))  # the command's own clock
    db.close()
    code, out = invoke("serve", "run-recurring", "--once", "--database-url", path)
    assert code == 0, out
    assert f"shop {shop.shop_id}: Made 1 recurring invoice." in out
    assert "Hosting: issued INV-" in out
    code, out = invoke("serve", "run-recurring", "--once", "--database-url", path)
    assert code == 0, out
    assert "No recurring invoices were due." in out
