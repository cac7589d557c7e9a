"""The catch-up on a real store (SQLite file and PostgreSQL): every period due made once,
with its period dates; paused and ended templates make nothing; edits change only what
comes after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import NewLine, RecurringChanges
from invoicer.services.recurring.catch_up import run_due

from .conftest import Clock
from .recurring_setup import customer, template

D = dt.date


def periods(svc: Services) -> list[tuple[str, str]]:
    """(period start, period end) of every invoice, oldest first."""
    with svc.read() as session:
        found = session.execute(
            text("SELECT period_start, period_end FROM invoices ORDER BY created_at, id")
        ).all()
    return [(str(start), str(end)) for start, end in found]


def test_monthly_from_jan_31_bills_the_month_ends(shop: Services, clock: Clock) -> None:
    tid = template(shop, auto_issue=True)
    made = []
    for day in (D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)):
        clock.today = day
        report = run_due(shop)
        assert len(report.made) == 1
        made.append(report.made[0])
    assert [(m.period_start, m.period_end) for m in made] == [
        (D(2026, 1, 31), D(2026, 2, 27)),
        (D(2026, 2, 28), D(2026, 3, 30)),
        (D(2026, 3, 31), D(2026, 4, 29)),
        (D(2026, 4, 30), D(2026, 5, 30)),
    ]
    assert [m.number for m in made] == [f"INV-2026-00000{n}" for n in range(1, 5)]
    invoice = shop.invoices.get(made[1].invoice_id)
    assert (invoice.period_start, invoice.period_end) == (D(2026, 2, 28), D(2026, 3, 30))
    assert invoice.status != "draft"
    assert invoice.gross == Decimal("24.20")
    assert shop.recurring.get(tid).next_due == D(2026, 5, 31)


def test_three_months_offline_catch_up_once_then_nothing(shop: Services, clock: Clock) -> None:
    tid = template(shop, start_date=D(2026, 1, 15))
    clock.today = D(2026, 1, 15)
    assert len(run_due(shop).made) == 1
    clock.today = D(2026, 4, 20)  # February, March and April missed
    report = run_due(shop)
    assert [m.period_start for m in report.made] == [D(2026, 2, 15), D(2026, 3, 15), D(2026, 4, 15)]
    assert all(not m.issued and m.number is None for m in report.made)
    assert "Hosting: made a draft for 2026-02-15 to 2026-03-14." in report.sentences()
    assert report.summary() == "Made 3 recurring invoices."
    again = run_due(shop)
    assert not again
    assert again.made == ()
    assert again.summary() == "No recurring invoices were due."
    assert len(periods(shop)) == 4
    assert [r.period_index for r in shop.recurring.runs(tid)] == [0, 1, 2, 3]
    assert shop.audit.verify().ok


def test_end_after_n_invoices_and_on_a_date(shop: Services, clock: Clock) -> None:
    jan = customer(shop)
    template(shop, jan, name="Three", end_after=3, start_date=D(2026, 1, 1))
    template(shop, jan, name="Until", end_on=D(2026, 2, 28), start_date=D(2026, 1, 1))
    clock.today = D(2026, 12, 31)
    report = run_due(shop)
    assert sorted((m.template_name, m.period_start.month) for m in report.made) == [
        ("Three", 1),
        ("Three", 2),
        ("Three", 3),
        ("Until", 1),
        ("Until", 2),
    ]
    assert [t.next_due for t in shop.recurring.list()] == [None, None]
    assert not run_due(shop)


def test_paused_makes_nothing_until_resumed(shop: Services, clock: Clock) -> None:
    tid = template(shop, start_date=D(2026, 1, 1))
    shop.recurring.pause(tid)
    assert shop.recurring.get(tid).paused
    clock.today = D(2026, 3, 1)
    assert not run_due(shop)
    assert periods(shop) == []
    shop.recurring.resume(tid)
    assert len(run_due(shop).made) == 3  # the periods due meanwhile: the merchant resumed


def test_editing_changes_only_future_invoices(shop: Services, clock: Clock) -> None:
    tid = template(shop, start_date=D(2026, 1, 1))
    clock.today = D(2026, 2, 1)
    first = run_due(shop).made
    shop.recurring.update(
        tid,
        RecurringChanges(
            lines=[NewLine(description="Hosting plus", unit_price="30.00")], notes="New plan"
        ),
    )
    clock.today = D(2026, 3, 1)
    later = run_due(shop).made
    before = [shop.invoices.get(m.invoice_id) for m in first]
    after = shop.invoices.get(later[0].invoice_id)
    assert [i.lines[0].description for i in before] == ["Hosting", "Hosting"]
    assert [i.net for i in before] == [Decimal("20.00")] * 2
    assert after.lines[0].description == "Hosting plus"
    assert after.notes == "New plan"
    assert after.net == Decimal("30.00")


def test_the_schedule_is_fixed_once_a_period_is_made(shop: Services, clock: Clock) -> None:
    tid = template(shop, start_date=D(2026, 1, 1))
    clock.today = D(2026, 2, 1)
    run_due(shop)
    with pytest.raises(ValidationError, match="frequency, day and start stay") as caught:
        shop.recurring.update(tid, RecurringChanges(frequency="weekly"))
    assert caught.value.problems[0].field == "frequency"
    with pytest.raises(ValidationError, match="2 invoices were already made: the end"):
        shop.recurring.update(tid, RecurringChanges(end_after=1))
    shop.recurring.update(tid, RecurringChanges(end_on=D(2026, 6, 30)))
    assert shop.recurring.get(tid).end_on == D(2026, 6, 30)


def test_a_refused_issue_leaves_a_draft_that_says_why(shop: Services, clock: Clock) -> None:
    from invoicer.services.commands import CustomerChanges

    cid = customer(shop)
    template(shop, cid, auto_issue=True, start_date=D(2026, 1, 1))
    shop.customers.update(cid, CustomerChanges(street=None, postcode=None, city=None))
    clock.today = D(2026, 1, 1)
    [made] = run_due(shop).made
    assert not made.issued
    assert made.note.startswith("left as a draft: ")
    assert "Jan Jansen has no" in made.note
    assert shop.invoices.get(made.invoice_id).status == "draft"
    assert not run_due(shop)  # made once, as a draft


def test_a_period_that_cannot_be_made_is_reported_and_retried(shop: Services, clock: Clock) -> None:
    cid = customer(shop)
    template(shop, cid, start_date=D(2026, 1, 1))
    shop.customers.archive(cid)
    clock.today = D(2026, 3, 1)
    report = run_due(shop)
    assert report.made == ()
    assert len(report.failed) == 1
    assert report.failed[0].period_start == D(2026, 1, 1)
    assert "archived" in report.failed[0].reason
    assert report.summary() == "1 could not be made (see invoicer recurring run)."
    assert periods(shop) == []


def test_another_devices_template_is_left_to_it(shop: Services, clock: Clock) -> None:
    from tests.store.devices import as_device

    tid = template(shop, start_date=D(2026, 1, 1))
    clock.today = D(2026, 2, 1)
    with as_device(shop, "device-b"):
        report = run_due(shop)
        assert report.made == ()
        assert report.elsewhere == ("Hosting",)
        assert not shop.recurring.get(tid).runs_here
        with pytest.raises(Conflict, match="runs on device local"):
            shop.recurring.pause(tid)
    assert len(run_due(shop).made) == 2


def test_bad_templates_are_refused_and_change_nothing(shop: Services) -> None:
    from invoicer.services.commands import NewRecurring

    cid = customer(shop)
    before = periods(shop), shop.recurring.list()
    cases = [
        ({"frequency": "daily"}, "frequency"),
        ({"frequency": "months"}, "every"),
        ({"frequency": "weekly", "day_of_month": 3}, "day_of_month"),
        ({"day_of_month": 32}, "day_of_month"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"end_on": D(2025, 1, 1)}, "end_on"),
        ({"lines": []}, "lines"),
        ({"lines": [NewLine(description="x", unit_price="1e999")]}, "lines[0].unit_price"),
        ({"lines": [NewLine(description="a\x00b", unit_price="1")]}, "lines[0].description"),
        ({"name": "x" * 201}, "name"),
    ]
    for change, field in cases:
        values = {
            "customer_id": cid,
            "frequency": "monthly",
            "start_date": D(2026, 1, 1),
            "lines": [NewLine(description="Hosting", unit_price="20.00")],
        } | change
        with pytest.raises(ValidationError) as caught:
            shop.recurring.create(NewRecurring(**values))
        assert field in [p.field for p in caught.value.problems], (change, caught.value)
    with pytest.raises(ValidationError, match="Customer id is required"):
        shop.recurring.create(NewRecurring(frequency="monthly"))
    assert (periods(shop), shop.recurring.list()) == before
