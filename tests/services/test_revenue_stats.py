"""ReportService.revenue_stats: issued revenue per day and currency, and per currency what the
period's invoices came to, were paid and still owe (the API's /v1/reports/stats)."""

from __future__ import annotations

import datetime as dt

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
)
from invoicer.services.views import Invoice
from tests.services.conftest import Clock


def issue(svc: Services, price: str) -> Invoice:
    cid = svc.customers.add(
        NewCustomer(
            name="Jan", country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=cid))
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id)


def test_revenue_per_day_and_paid_against_open(shop: Services, clock: Clock) -> None:
    earlier = issue(shop, "30.00")
    clock.today += dt.timedelta(days=3)
    first, second = issue(shop, "100.00"), issue(shop, "50.00")
    shop.payments.add(first.id, RecordPayment(amount=str(first.gross)))
    stats = shop.reports.revenue_stats(30)
    assert (stats.start, stats.end) == (clock.today - dt.timedelta(days=29), clock.today)
    assert [(d.day, d.count, d.gross) for d in stats.days] == [
        (earlier.issue_date, 1, earlier.gross),
        (first.issue_date, 2, first.gross + second.gross),
    ]
    [eur] = stats.currencies
    assert eur.invoiced == earlier.gross + first.gross + second.gross
    assert eur.paid == first.gross
    assert eur.open == earlier.gross + second.gross
    only_today = shop.reports.revenue_stats(1)
    assert [d.day for d in only_today.days] == [first.issue_date]
    assert only_today.currencies[0].open == second.gross


def test_a_credit_note_takes_revenue_back(shop: Services) -> None:
    invoice = issue(shop, "100.00")
    note = shop.credit_notes.create(invoice.id, NewCreditNote(reason="Returned"))
    [day] = shop.reports.revenue_stats(7).days
    assert day.count == 2
    assert day.gross == invoice.gross + note.gross  # the credit note's gross is negative
    assert shop.reports.revenue_stats(7).currencies[0].open == 0


@pytest.mark.parametrize("days", [0, -1, 367, True, "30"])
def test_odd_periods_are_refused(shop: Services, days: object) -> None:
    with pytest.raises(ValidationError):
        shop.reports.revenue_stats(days)  # type: ignore[arg-type]
