"""The draft's head in the invoice editor: currency, language and dates saved through
update_draft; a refused value shows why, the stored one comes back, nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from tests.qt.test_settings import make_shop
from ui_qt.dialogs.invoice_editor import InvoiceEditor


def editor_for_draft(qtbot: Any, svc: Services) -> InvoiceEditor:
    make_shop(svc)
    customer = svc.customers.add(NewCustomer(name="Erika Muster", country="DE")).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price="100.00"))
    editor = InvoiceEditor(svc, draft.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def enter(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # editingFinished: the field saves


def test_currency_language_and_dates_are_saved(qtbot: Any, svc: Services) -> None:
    editor = editor_for_draft(qtbot, svc)
    header = editor.draft_header
    assert header.currency.text() == "EUR"
    enter(qtbot, header.currency, "usd")
    enter(qtbot, header.exchange_rate, "0,92")
    header.language.setCurrentIndex(header.language.findData("de"))
    header.language.activated.emit(header.language.currentIndex())
    enter(qtbot, header.dates["supply_date"], "2026-03-10")
    enter(qtbot, header.dates["period_start"], "2026-03-01")
    enter(qtbot, header.dates["period_end"], "2026-03-10")
    saved = svc.invoices.get(editor.invoice.id)
    assert (saved.currency, str(saved.exchange_rate), saved.language) == ("USD", "0.92", "de")
    assert (saved.supply_date, saved.period_start, saved.period_end) == (
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 10),
    )
    assert "USD" in editor.totals.text()  # the totals follow the new currency
    enter(qtbot, header.dates["period_end"], "")  # blank: not set any more
    assert svc.invoices.get(editor.invoice.id).period_end is None


def test_a_refused_value_is_explained_and_the_stored_one_comes_back(
    qtbot: Any, svc: Services
) -> None:
    editor = editor_for_draft(qtbot, svc)
    header = editor.draft_header
    before = svc.invoices.get(editor.invoice.id)
    for edit, text, field in [
        (header.currency, "XYZ", "currency"),
        (header.dates["supply_date"], "10.03.2026", "supply_date"),
        (header.exchange_rate, "-1", "exchange_rate"),
    ]:
        enter(qtbot, edit, text)
        box = editor.findChild(QMessageBox, "errorBox")
        assert box is not None
        assert field in box.text()
        box.close()
        box.deleteLater()
        qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "errorBox") is None)
    assert header.currency.text() == "EUR"
    assert header.dates["supply_date"].text() == ""
    assert svc.invoices.get(editor.invoice.id) == before


def test_issuing_without_the_customers_address_shows_what_is_missing(
    qtbot: Any, svc: Services, monkeypatch: Any
) -> None:
    editor = editor_for_draft(qtbot, svc)  # Erika Muster has no address
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(editor.action_buttons["issue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "errorBox") is not None)
    text = editor.findChild(QMessageBox, "errorBox").text()
    assert "Erika Muster has no street, postcode or city" in text
    assert "Art. 226" in text
    assert svc.invoices.get(editor.invoice.id).number is None
