"""The desktop app's invoice window and main window, driven through the real widgets: required
notes and the VIES warning, unit names, overpayments, the settings shortcut, the Reports tab,
and service writes off the GUI thread."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
)

from invoicer.services.app import Services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    ShopProfileChanges,
)
from ui_qt.dialogs.credit_dialog import CreditDialog
from ui_qt.dialogs.invoice_editor import InvoiceEditor
from ui_qt.dialogs.payment_dialog import PaymentDialog
from ui_qt.models.line_table_model import COL_UNIT
from ui_qt.windows.main_window import MainWindow

SHOP = {
    "legal_name": "Beispiel Handel GmbH",
    "street": "Hauptstraße 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
    "vat_number": "DE136695976",
    "iban": "DE89370400440532013000",
}
VIES_WARNING = "Warning: The buyer's VAT number has no recent valid VIES check."


@pytest.fixture
def shop(svc: Services) -> Services:
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


def reverse_charge_draft(svc: Services) -> str:
    """Two consulting hours for a French business whose VAT number was never checked."""
    acme = svc.customers.add(
        NewCustomer(
            name="Acme SARL",
            street="1 rue de la Paix",
            postcode="75002",
            city="Paris",
            country="FR",
            vat_number="FR40303265045",
            is_business=True,
        )
    )
    hour = svc.products.add(
        NewProduct(
            name="Consulting hour",
            unit_price=Decimal("90.00"),
            unit_code="HUR",
            supply_kind="services",
        )
    )
    draft = svc.invoices.create_draft(
        NewDraft(customer_id=acme.id, supply_date=dt.date(2026, 3, 14))
    )
    svc.invoices.add_line(draft.id, NewLine(product_id=hour.id, quantity=Decimal("2")))
    return draft.id


@pytest.fixture
def window(qtbot: Any, shop: Services) -> MainWindow:
    win = MainWindow(shop)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_editor(qtbot: Any, window: MainWindow, invoice_id: str) -> InvoiceEditor:
    window.open_invoice(invoice_id)
    editor = window.dialog
    assert isinstance(editor, InvoiceEditor)
    qtbot.waitExposed(editor)
    return editor


def test_invoice_window_shows_the_reverse_charge_wording_and_the_vies_warning(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    draft = reverse_charge_draft(shop)
    editor = open_editor(qtbot, window, draft)
    assert VIES_WARNING in editor.notes.text().splitlines()  # before issuing
    editor.close()
    issued = shop.invoices.issue(draft, vies_policy="warn")
    editor = open_editor(qtbot, window, issued.id)
    assert editor.notes.isVisible()
    assert VIES_WARNING in editor.notes.text().splitlines()
    assert "Reverse charge" in editor.breakdown.text()


def test_invoice_window_shows_a_required_note(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    shop.shop.save(ShopProfileChanges(**{**SHOP, "vat_status": "oss"}))
    consumer = shop.customers.add(
        NewCustomer(
            name="Łukasz Żółć",
            street="ul. Długa 7",
            postcode="00-238",
            city="Warszawa",
            country="PL",
        )
    )
    widget = shop.products.add(
        NewProduct(name="Widget", unit_price=Decimal("12.99"), supply_kind="goods")
    )
    draft = shop.invoices.create_draft(
        NewDraft(customer_id=consumer.id, supply_date=dt.date(2026, 3, 14))
    )
    shop.invoices.add_line(draft.id, NewLine(product_id=widget.id, quantity=Decimal("2")))
    issued = shop.invoices.issue(draft.id)
    editor = open_editor(qtbot, window, issued.id)
    note = "Note: VAT of PL charged under the EU One-Stop-Shop (OSS) scheme"
    assert editor.notes.text().splitlines() == [note]


def issued_domestic(svc: Services, unit_code: str = "C62") -> str:
    """Ten pieces at 10.00 EUR + 19 % VAT for a consumer in Berlin: 119.00 EUR."""
    buyer = svc.customers.add(
        NewCustomer(
            name="Erika Mustermann", street="Weg 2", postcode="10117", city="Berlin", country="DE"
        )
    )
    product = svc.products.add(
        NewProduct(name="Widget", unit_price=Decimal("10.00"), unit_code=unit_code)
    )
    draft = svc.invoices.create_draft(NewDraft(customer_id=buyer.id))
    svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity=Decimal("10")))
    return str(svc.invoices.issue(draft.id).id)


def click_save(qtbot: Any, dialog: Any) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_an_overpayment_is_refused_unless_ticked_then_recorded(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    invoice_id = issued_domestic(shop)
    editor = open_editor(qtbot, window, invoice_id)
    qtbot.mouseClick(editor.action_buttons["payment"], Qt.MouseButton.LeftButton)
    dialog = editor.child_dialog
    assert isinstance(dialog, PaymentDialog)
    amount = dialog.fields["amount"]
    assert isinstance(amount, QLineEdit)
    amount.setText("150.00")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.problems.isVisible())
    assert "overpayment" in dialog.problems.text()
    assert not shop.payments.list(invoice_id)
    box = dialog.findChild(QCheckBox, "overpayment")
    assert box is not None
    assert box.isVisible()
    box.setChecked(True)
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(shop.payments.list(invoice_id)))
    (payment,) = shop.payments.list(invoice_id)
    assert (payment.amount, payment.overpayment) == (Decimal("150.00"), True)
    qtbot.waitUntil(lambda: not editor.action_buttons["payment"].isVisible())


def test_ctrl_comma_opens_the_settings_and_the_menu_shows_it(
    qtbot: Any, window: MainWindow
) -> None:
    from ui_qt.dialogs.settings_dialog import SettingsDialog

    settings = window.actions_by_name["settings"]
    assert settings.shortcut().toString() == "Ctrl+,"  # the one the File menu shows
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.dialog, SettingsDialog)
    window.dialog.reject()


def test_reports_tab_runs_its_report_when_first_shown(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    issued_domestic(shop)
    page = window.reports
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.loaded):
        window.tabs.setCurrentWidget(page)
    assert page.model.rowCount() > 0  # the VAT summary of this quarter, without pressing Run


def test_invoice_window_shows_unit_names_not_codes(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    editor = open_editor(qtbot, window, issued_domestic(shop, unit_code="C62"))
    unit = editor.lines.index(0, COL_UNIT).data()
    assert unit == "piece"


# -- writes in the worker pool, not on the GUI thread ------------------------------------------
def record_threads(monkeypatch: pytest.MonkeyPatch, service: Any, name: str) -> list[bool]:
    """Wrap SERVICE.NAME; each call notes whether it ran on the GUI thread."""
    on_gui_thread: list[bool] = []
    original = getattr(service, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(service, name, wrapper)
    return on_gui_thread


def yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)


def test_issuing_runs_off_the_gui_thread_then_the_editor_shows_it(
    qtbot: Any, shop: Services, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = shop.customers.add(
        NewCustomer(
            name="Erika Mustermann", street="Weg 2", postcode="10117", city="Berlin", country="DE"
        )
    )
    draft = shop.invoices.create_draft(NewDraft(customer_id=buyer.id))
    shop.invoices.add_line(draft.id, NewLine(description="Work", unit_price="100.00"))
    threads = record_threads(monkeypatch, shop.invoices, "issue")
    editor = open_editor(qtbot, window, draft.id)
    yes(monkeypatch)
    qtbot.mouseClick(editor.action_buttons["issue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.action_buttons["payment"].isVisible())
    assert threads == [False]
    assert shop.invoices.get(draft.id).number is not None
    assert editor.invoice.number is not None
    assert editor.invoice.number in editor.header.text()


def test_a_refused_issue_is_still_shown_as_a_message(
    qtbot: Any, shop: Services, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = reverse_charge_draft(shop)  # the VAT number was never checked: blocked by default
    threads = record_threads(monkeypatch, shop.invoices, "issue")
    editor = open_editor(qtbot, window, draft)
    yes(monkeypatch)
    qtbot.mouseClick(editor.action_buttons["issue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(editor.child_dialog, QMessageBox))
    assert threads == [False]
    assert "VIES" in editor.child_dialog.text()
    assert shop.invoices.get(draft).number is None
    assert editor.action_buttons["issue"].isEnabled()


def test_credit_note_and_payment_are_written_off_the_gui_thread(
    qtbot: Any, shop: Services, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice_id = issued_domestic(shop)
    credit_threads = record_threads(monkeypatch, shop.credit_notes, "create")
    pay_threads = record_threads(monkeypatch, shop.payments, "add")
    editor = open_editor(qtbot, window, invoice_id)

    qtbot.mouseClick(editor.action_buttons["payment"], Qt.MouseButton.LeftButton)
    payment = editor.child_dialog
    assert isinstance(payment, PaymentDialog)
    amount = payment.fields["amount"]
    assert isinstance(amount, QLineEdit)
    amount.setText("19.00")
    click_save(qtbot, payment)
    qtbot.waitUntil(lambda: "19.00" in editor.payments.text())
    assert pay_threads == [False]

    qtbot.mouseClick(editor.action_buttons["credit"], Qt.MouseButton.LeftButton)
    credit = editor.child_dialog
    assert isinstance(credit, CreditDialog)
    qtbot.mouseClick(
        credit.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not editor.action_buttons["credit"].isVisible())
    assert credit_threads == [False]
    assert shop.invoices.get(invoice_id).status == "credited"


def test_a_refused_credit_note_shows_its_problem(
    qtbot: Any, shop: Services, window: MainWindow
) -> None:
    invoice_id = issued_domestic(shop)
    editor = open_editor(qtbot, window, invoice_id)
    qtbot.mouseClick(editor.action_buttons["credit"], Qt.MouseButton.LeftButton)
    credit = editor.child_dialog
    assert isinstance(credit, CreditDialog)
    shop.credit_notes.create(
        invoice_id, NewCreditNote()
    )  # meanwhile, elsewhere: nothing is left to credit
    qtbot.mouseClick(
        credit.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: bool(credit.problems.text()))
    assert credit.isVisible()
    assert len(shop.invoices.list(kind="credit_note").items) == 1
