"""The Quotes tab on real services: a product line added to the selected draft, issued,
accepted and made into a draft invoice with the buttons; a refused step says why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewProduct, NewQuote, ShopProfileChanges
from ui_qt.windows.main_window import MainWindow

SHOP = {
    "legal_name": "Voorbeeld Handel B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "iban": "NL91ABNA0417164300",
}


def test_a_quote_from_the_quotes_tab_to_a_draft_invoice(qtbot: Any, svc: Services) -> None:
    svc.shop.save(ShopProfileChanges(**SHOP))
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen",
            country="NL",
            street="Kerkstraat 1",
            postcode="1017 GA",
            city="Amsterdam",
        )
    )
    svc.products.add(NewProduct(name="Consulting hour", unit_price="90.00"))
    quote = svc.quotes.create(NewQuote(customer_id=customer.id))
    window = MainWindow(svc, sync_every_ms=None, sync_after_change_ms=None)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.quotes)
    page = window.quotes
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1)
    page.list.view.selectRow(0)
    page.quantity.setText("2")
    click(qtbot, page, "quote_add_line")
    assert [line.quantity for line in svc.quotes.get(quote.id).lines] == [Decimal(2)]
    for step in ("issue", "accept", "convert"):
        qtbot.waitUntil(lambda: page.list.model.rowCount() == 1)
        page.list.view.selectRow(0)
        click(qtbot, page, f"quote_{step}")
    done = svc.quotes.get(quote.id)
    assert done.number == "QUO-2026-000001"
    assert done.status == "accepted"
    assert done.invoice_id is not None
    assert page.info_box is not None
    assert "From quote QUO-2026-000001." in page.info_box.text()
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1)
    page.list.view.selectRow(0)
    click(qtbot, page, "quote_decline")  # accepted already: refused, in words
    assert svc.quotes.get(quote.id).status == "accepted"
    assert any("accepted" in box.text() for box in page.findChildren(QMessageBox))


def click(qtbot: Any, page: QWidget, name: str) -> None:
    button = page.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
