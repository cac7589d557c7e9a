"""The dashboard's merchant stats: the received-per-day chart gets the service's figures, one
currency at a time, and paints its bars; paid against open and the top customers are shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtGui import QPalette

from invoicer.services.app import Services
from invoicer.services.commands import (
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)
from tests.qt.conftest import TODAY
from tests.services.conftest import SHOP
from ui_qt.windows.dashboard_page import DashboardPage


def _invoice(svc: Services, name: str, price: str, currency: str = "EUR") -> Any:
    cid = svc.customers.add(
        NewCustomer(name=name, country="NL", street="Kerkstraat 1", postcode="1017 GA", city="A")
    ).id
    rate = None if currency == "EUR" else "0.9"
    draft = svc.invoices.create_draft(
        NewDraft(
            customer_id=cid,
            currency=currency,
            exchange_rate=rate,
            issue_date=TODAY - dt.timedelta(days=5),
        )
    )
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id)


@pytest.fixture
def books(svc: Services) -> Services:
    """Dated five days back: 121.00 EUR to Jan (paid 3 days back), 60.50 EUR to <Piet> (open),
    242.00 USD to Sam (100.00 paid today)."""
    svc.shop.save(ShopProfileChanges(**SHOP))
    jan = _invoice(svc, "Jan", "100.00")
    _invoice(svc, "<b>Piet</b>", "50.00")
    sam = _invoice(svc, "Sam", "200.00", "USD")
    svc.payments.add(jan.id, RecordPayment(amount="121.00", date=TODAY - dt.timedelta(days=3)))
    svc.payments.add(sam.id, RecordPayment(amount="100.00", date=TODAY))
    return svc


def test_the_chart_gets_the_received_per_day_of_the_service(qtbot: Any, books: Services) -> None:
    page = DashboardPage(books)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    panel, chart = page.stats_panel, page.stats_panel.received_chart
    expected = books.merchant_stats.stats(30).currencies[0]
    assert expected.currency == "EUR"
    assert chart.currency == "EUR"
    assert chart.values == [d.received for d in expected.days]
    assert len(chart.values) == 30
    assert chart.values[-4] == Decimal("121.00")  # three days back
    assert sum(chart.values, Decimal(0)) == Decimal("121.00")
    assert chart.labels[-1] == TODAY.strftime("%d.%m")
    text = panel.paid_open.text()
    assert "Invoices issued in these 30 days:</b> 2<br>" in text
    assert "Paid: 1 · Open: 1<br>" in text
    assert "Received on them: 121.00 EUR<br>" in text
    assert "Still owed: 60.50 EUR" in text
    top = panel.top_customers.text()
    assert top.index("Jan") < top.index("&lt;b&gt;Piet")  # the name as text, not markup

    assert panel.currency_box.isVisibleTo(page)
    panel.currency_box.setCurrentText("USD")
    assert chart.currency == "USD"
    assert chart.values[-1] == Decimal("100.00")
    assert sum(chart.values, Decimal(0)) == Decimal("100.00")
    assert "Sam" in panel.top_customers.text()


def test_the_chart_paints_a_bar_for_a_day_with_money(qtbot: Any, books: Services) -> None:
    page = DashboardPage(books)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    chart = page.stats_panel.received_chart
    chart.resize(600, 220)
    image = chart.grab().toImage()
    bar = chart.palette().color(QPalette.ColorRole.Highlight).rgb()
    # Day 27 of 30 has the only bar: its column holds the bar colour, the others do not.
    slot = image.width() / 30

    def column_has_bar(day: int) -> bool:
        x = int(day * slot + slot / 2)
        return any(image.pixel(x, y) == bar for y in range(image.height()))

    assert column_has_bar(26)
    assert not any(column_has_bar(day) for day in (0, 10, 25, 29))
