"""The desktop app makes the recurring invoices due when it starts, and says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewLine, NewRecurring, ShopProfileChanges
from tests.services.conftest import SHOP
from ui_qt.windows.main_window import MainWindow

from .conftest import TODAY


def test_the_start_makes_what_is_due_and_says_so(qtbot: Any, svc: Services) -> None:
    svc.shop.save(ShopProfileChanges(**SHOP))
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA",
            city="Amsterdam",
        )
    )  # fmt: skip
    template = svc.recurring.create(
        NewRecurring(
            customer_id=customer.id, name="Hosting", frequency="weekly",
            start_date=TODAY - dt.timedelta(days=14),
            lines=[NewLine(description="Hosting", unit_price="5.00")],
        )
    )  # fmt: skip
    window = MainWindow(svc)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.recurring_report is not None, timeout=20_000)
    assert window.statusBar().currentMessage() == "Made 3 recurring invoices."
    assert "Hosting: made a draft for 2026-03-02 to 2026-03-08." in window.statusBar().toolTip()
    assert len(svc.recurring.runs(template.id)) == 3
