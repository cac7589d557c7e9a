"""Reminders for overdue invoices on the cadence (reminder_days), each step once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment

from .conftest import LUKASZ, at, configure, issue
from .smtp_server import free_port, smtp_server

DUE = dt.date(2026, 3, 30)


def test_each_step_once_and_the_latest_step_only(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    assert shop.invoices.get(invoice_id).due_date == DUE
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none",
                  reminder_days="7,14,30")  # fmt: skip
        at(shop, DUE + dt.timedelta(days=6))
        assert shop.mail.remind() == []
        at(shop, DUE + dt.timedelta(days=7))
        dry = shop.mail.remind(dry_run=True)
        assert [(r.step, r.outcome) for r in dry] == [(7, "due")]
        assert server.inbox.received == []
        [first] = shop.mail.remind()
        assert (first.step, first.outcome, first.detail) == (7, "sent", "lukasz@example.pl")
        assert shop.mail.remind() == []  # the same day again: nothing twice
        at(shop, DUE + dt.timedelta(days=41))  # offline for weeks: 14 passed over
        [late] = shop.mail.remind()
        assert (late.step, late.days_overdue) == (30, 41)
        at(shop, DUE + dt.timedelta(days=60))
        assert shop.mail.remind() == []
    subjects = [r.message()["Subject"] for r in server.inbox.received]
    number = shop.invoices.get(invoice_id).number
    assert subjects == [f"Reminder: invoice {number} is overdue"] * 2
    body = server.inbox.received[0].message().get_body(("plain",))
    assert body is not None
    assert "€1,493.75 is still open" in body.get_content()
    history = shop.mail.history(invoice_id)
    assert [(e.kind, e.step, e.status) for e in history] == [
        ("reminder", 7, "sent"), ("reminder", 30, "sent")]  # fmt: skip


def test_a_paid_invoice_gets_none_and_a_reminder_asks_the_balance(
    shop: Services, tmp_path: Path
) -> None:
    paid = issue(shop, LUKASZ)
    partly = issue(shop, LUKASZ)
    shop.payments.add(paid, RecordPayment(amount="1493.75", date=dt.date(2026, 3, 20)))
    shop.payments.add(partly, RecordPayment(amount="493.75", date=dt.date(2026, 3, 20)))
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        at(shop, DUE + dt.timedelta(days=8))
        results = shop.mail.remind()
    assert [r.invoice_id for r in results] == [partly]
    body = server.inbox.received[0].message().get_body(("plain",))
    assert body is not None
    assert "€1,000.00 is still open" in body.get_content()
    assert shop.invoices.get(partly).balance == Decimal("1000.00")


def test_a_failure_is_logged_and_the_step_tried_again(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    issue(shop, LUKASZ)
    at(shop, DUE + dt.timedelta(days=7))
    configure(shop, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    results = shop.mail.remind()
    # The server cannot be reached: the run stops at the first (the other would fail alike).
    assert [r.outcome for r in results] == ["failed"]
    assert "refused the connection" in results[0].detail
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        assert [r.outcome for r in shop.mail.remind()] == ["sent", "sent"]
    assert len(server.inbox.received) == 2
    assert [e.status for e in shop.mail.history(invoice_id)][-1] == "sent"


def test_no_cadence_no_reminders(shop: Services) -> None:
    issue(shop, LUKASZ)
    configure(shop, smtp_host="127.0.0.1", smtp_port=2525, reminder_days="")
    at(shop, DUE + dt.timedelta(days=100))
    assert shop.mail.remind(dry_run=True) == []
