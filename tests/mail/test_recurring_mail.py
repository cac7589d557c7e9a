"""A subscription that asks for e-mail: each invoice the catch-up issues is e-mailed once,
after its period is made; a mail server that is down leaves the invoices issued and says
which were not sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewLine, NewRecurring
from invoicer.services.recurring.catch_up import run_due

from .conftest import LUKASZ, at, configure
from .smtp_server import smtp_server


def _subscription(svc: Services, *, email: bool) -> str:
    customer = svc.customers.add(NewCustomer(**LUKASZ)).id
    return svc.recurring.create(
        NewRecurring(
            customer_id=customer,
            name="Hosting",
            frequency="monthly",
            start_date=dt.date(2026, 1, 10),
            lines=[NewLine(description="Hosting", unit_price="20.00")],
            auto_issue=True,
            email=email,
        )
    ).id


def test_each_issued_period_is_mailed_once(shop: Services, tmp_path: Path) -> None:
    _subscription(shop, email=True)
    _subscription(shop, email=False)
    at(shop, dt.date(2026, 3, 16))  # January, February and March are due
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        report = run_due(shop)
        again = run_due(shop)
    mailed = [m.number for m in report.made if m.number in report.mailed]
    assert len(report.made) == 6
    assert len(report.mailed) == 3
    assert mailed == list(report.mailed)
    assert report.not_mailed == ()
    assert [r.message()["Subject"].split()[1] for r in server.inbox.received] == list(report.mailed)
    assert "E-mailed" in " ".join(report.sentences())
    assert not again.made
    assert len(server.inbox.received) == 3


def test_a_mail_server_that_is_down_leaves_the_invoices_issued(shop: Services) -> None:
    _subscription(shop, email=True)
    at(shop, dt.date(2026, 1, 10))
    configure(shop, smtp_host="127.0.0.1", smtp_port=9, smtp_security="none")
    report = run_due(shop)
    [made] = report.made
    assert made.issued
    assert report.mailed == ()
    [(number, why)] = report.not_mailed
    assert number == made.number
    assert why
    assert f"invoicer invoice send {number}" in report.sentences()[-1]
    assert shop.invoices.get(made.invoice_id).status != "draft"
