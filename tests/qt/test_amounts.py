"""The desktop app reads typed amounts with the one parser of every front-end and shows money
with the currency's own decimals (issue 16: 1.234,50 was stored as 1.2345 EUR; 1.234 BHD
was shown as 1.23 and 1000 JPY as 1,000.00)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from invoicer.services.app import Services
from invoicer.services.commands import DraftChanges, NewLine, ShopProfileChanges
from tests.amount_keystrokes import REFUSED, STORED
from tests.qt.test_draft_header import editor_for_draft
from ui_qt import format as fmt
from ui_qt.dialogs.invoice_editor import InvoiceEditor


def keys(qtbot: Any, edit: QLineEdit, text: str) -> None:
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # what an input method (full-width digits) does: it commits the composed text
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(edit, event)


def type_line(qtbot: Any, editor: InvoiceEditor, price: str, quantity: str = "1") -> None:
    editor.product_edit.setFocus()
    qtbot.keyClicks(editor.product_edit, "Typed")
    editor.quantity_edit.clear()
    keys(qtbot, editor.quantity_edit, quantity)
    keys(qtbot, editor.price_edit, price)
    assert editor.price_edit.text() == price
    qtbot.keyClick(editor.price_edit, Qt.Key.Key_Return)


@pytest.mark.parametrize(("typed", "stored"), STORED)
def test_a_typed_unit_price_is_stored_as_meant(
    qtbot: Any, svc: Services, typed: str, stored: Decimal
) -> None:
    editor = editor_for_draft(qtbot, svc)
    type_line(qtbot, editor, typed)
    lines = svc.invoices.get(editor.invoice.id).lines
    assert [line.description for line in lines] == ["Work", "Typed"]
    assert lines[-1].unit_price == stored


@pytest.mark.parametrize(("typed", "code", "words"), REFUSED)
def test_an_ambiguous_unit_price_is_refused_and_explained(
    qtbot: Any, svc: Services, typed: str, code: str, words: str
) -> None:
    editor = editor_for_draft(qtbot, svc)
    before = svc.invoices.get(editor.invoice.id)
    type_line(qtbot, editor, typed)
    box = editor.findChild(QMessageBox, "errorBox")
    assert box is not None
    assert words in box.text()
    box.close()
    assert svc.invoices.get(editor.invoice.id) == before


def test_an_ambiguous_quantity_is_refused(qtbot: Any, svc: Services) -> None:
    editor = editor_for_draft(qtbot, svc)
    before = svc.invoices.get(editor.invoice.id)
    type_line(qtbot, editor, "5", quantity="1,000")
    box = editor.findChild(QMessageBox, "errorBox")
    assert box is not None
    assert "'1,000' is ambiguous" in box.text()
    assert svc.invoices.get(editor.invoice.id) == before


@pytest.mark.parametrize(
    ("amount", "code", "locale", "shown"),
    [
        ("1.234", "BHD", "en_IE", "1.234 BHD"),
        ("1000", "JPY", "en_IE", "1,000 JPY"),
        ("1234.5", "EUR", "en_IE", "1,234.50 EUR"),
        ("1234.5", "EUR", "de_DE", "1.234,50 EUR"),
    ],
)
def test_money_has_the_currencys_decimals_in_the_users_locale(
    amount: str, code: str, locale: str, shown: str
) -> None:
    try:
        fmt.use_locale(locale)
        assert fmt.money(Decimal(amount), code) == shown
    finally:
        fmt.use_locale("en_IE")


def test_the_editor_shows_a_bhd_invoice_with_three_decimals(qtbot: Any, svc: Services) -> None:
    editor = editor_for_draft(qtbot, svc)
    svc.invoices.update_draft(editor.invoice.id, DraftChanges(currency="BHD", exchange_rate="0.4"))
    svc.invoices.add_line(editor.invoice.id, NewLine(description="Fils", unit_price="1.2340"))
    editor._refresh()
    assert "1.234 BHD" in editor.lines.data(editor.lines.index(1, 5))
    assert "1.234 BHD" in editor.lines.data(editor.lines.index(1, 3))


def test_status_names_are_the_same_as_in_the_terminal_ui() -> None:
    from ui_tui import format as tui_format

    assert fmt.status_label("partially_paid") == "Part paid"
    assert tui_format.status("partially_paid").plain == "Part paid"
    assert fmt.STATUS_LABELS is tui_format.STATUS_LABELS


def test_the_main_window_shows_money_in_the_shops_locale(qtbot: Any, svc: Services) -> None:
    from tests.qt.test_settings import make_shop
    from ui_qt.windows.main_window import MainWindow

    make_shop(svc)
    svc.shop.save(ShopProfileChanges(language="de"))
    window = MainWindow(svc)
    qtbot.addWidget(window)
    window.start()
    assert fmt.locale() == "de_DE"
    assert fmt.money(Decimal("1234.5"), "EUR") == "1.234,50 EUR"
