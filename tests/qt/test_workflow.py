"""The whole day's work driven through the widgets, checked in the database via services.

wizard -> customer -> product -> invoice -> issue -> credit note -> payment -> PDF -> report.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWizard,
)

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer
from ui_qt.dialogs.credit_dialog import CreditDialog
from ui_qt.dialogs.customer_picker import CustomerPicker
from ui_qt.dialogs.export_dialog import ExportDialog
from ui_qt.dialogs.form_dialog import FormDialog
from ui_qt.dialogs.invoice_editor import InvoiceEditor
from ui_qt.dialogs.payment_dialog import PaymentDialog
from ui_qt.dialogs.pdf_preview import PdfPreview
from ui_qt.dialogs.setup_wizard import SetupWizard
from ui_qt.windows.main_window import MainWindow


def type_into(qtbot: Any, parent: Any, name: str, text: str) -> None:
    edit = parent.findChild(QLineEdit, name)
    assert edit is not None, name
    edit.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:  # QTest only knows ASCII keys; non-ASCII arrives as input-method text
            edit.insert(char)


def click_save(qtbot: Any, dialog: FormDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def window(qtbot: Any, svc: Services) -> MainWindow:
    win = MainWindow(svc)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def finish_wizard(qtbot: Any, window: MainWindow, svc: Services) -> None:
    window.start()
    wizard = window.dialog
    assert isinstance(wizard, SetupWizard)
    for name, text in [
        ("legal_name", "Muster Handels GmbH"),
        ("street", "Hauptstraße 1"),
        ("postcode", "10115"),
        ("city", "Berlin"),
        ("country", "DE"),
        ("vat_number", "DE136695976"),
        ("email", "shop@example.de"),
    ]:
        type_into(qtbot, wizard, name, text)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.logo_page
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    type_into(qtbot, wizard, "iban", "DE89370400440532013000")
    type_into(qtbot, wizard, "bic", "COBADEFFXXX")
    with qtbot.waitSignal(window.dashboard.loaded):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    shop = svc.shop.get()
    assert shop is not None
    assert (shop.legal_name, shop.city, shop.iban) == (
        "Muster Handels GmbH",
        "Berlin",
        "DE89370400440532013000",
    )


def test_whole_workflow_through_the_widgets(
    qtbot: Any, window: MainWindow, svc: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish_wizard(qtbot, window, svc)

    # Customer, through the menu action's shortcut.
    window.actions_by_name["new_customer"].trigger()
    dialog = window.dialog
    assert isinstance(dialog, FormDialog)
    for name, text in [
        ("name", "Bäckerei Schmidt"),
        ("street", "Marktplatz 3"),
        ("postcode", "80331"),
        ("city", "München"),
        ("country", "DE"),
        ("email", "info@schmidt.example"),
        ("peppol_id", "0088:8712345000004"),
    ]:
        type_into(qtbot, dialog, name, text)
    click_save(qtbot, dialog)
    customers = svc.customers.list().items
    assert [c.name for c in customers] == ["Bäckerei Schmidt"]
    assert customers[0].peppol_id == "0088:8712345000004"

    # Product.
    window.actions_by_name["new_product"].trigger()
    dialog = window.dialog
    assert isinstance(dialog, FormDialog)
    type_into(qtbot, dialog, "name", "Sourdough starter kit")
    type_into(qtbot, dialog, "unit_price", "12.50")
    click_save(qtbot, dialog)
    product = svc.products.list().items[0]
    assert (product.name, product.unit_price) == ("Sourdough starter kit", Decimal("12.50"))

    # New invoice for the customer selected on the Customers tab.
    window.tabs.setCurrentIndex(MainWindow.TAB_CUSTOMERS)
    window.customers.view.selectRow(0)
    window.actions_by_name["new_invoice"].trigger()
    picker = window.dialog
    assert isinstance(picker, CustomerPicker)
    qtbot.mouseClick(
        picker.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    editor = window.dialog
    assert isinstance(editor, InvoiceEditor)
    draft_id = editor.invoice.id

    # The draft's head: buyer reference and a note, saved when the field is left.
    qtbot.keyClicks(editor.draft_header.reference, "PO-4711")
    editor.draft_header.reference.editingFinished.emit()
    qtbot.keyClicks(editor.draft_header.notes, "Thank you!")
    editor.draft_header.notes.editingFinished.emit()
    saved = svc.invoices.get(draft_id)
    assert (saved.buyer_reference, saved.notes, saved.due_days) == ("PO-4711", "Thank you!", None)
    assert editor.draft_header.due_days.text() == "default terms"

    # Two lines: the product via the completer, and a free-text line with its own price.
    qtbot.keyClicks(editor.product_edit, "Sourdough")
    assert editor.completion_model.stringList() == ["Sourdough starter kit"]
    editor.product_edit.setText("Sourdough starter kit")
    editor.quantity_edit.setText("4")
    qtbot.mouseClick(editor.action_buttons["remove"], Qt.MouseButton.LeftButton)  # no-op
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.product_edit, "Delivery")
    qtbot.keyClicks(editor.price_edit, "7,50")
    qtbot.keyClick(editor.price_edit, Qt.Key.Key_Return)
    assert editor.lines.rowCount() == 2
    # Live totals: 4 x 12.50 + 7.50 = 57.50 net, German standard VAT 19 % = 10.93.
    assert "57.50 EUR" in editor.totals.text()
    assert "68.43 EUR" in editor.totals.text()
    assert "19 %" in editor.breakdown.text()

    # Edit a quantity in the table: the line changes in place (same id, same position).
    before = [line.id for line in svc.invoices.get(draft_id).lines]
    first = editor.lines.index(0, 1)
    assert editor.lines.setData(first, "2")
    assert "38.68 EUR" in editor.totals.text()  # 2 x 12.50 + 7.50 = 32.50 net + 6.18 VAT
    lines = svc.invoices.get(draft_id).lines
    assert [(line.id, line.quantity) for line in lines] == [(before[0], 2), (before[1], 1)]
    assert editor.lines.record(0).description == "Sourdough starter kit"

    # Issue, after confirming.
    asked: list[str] = []

    def answer_yes(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    qtbot.mouseClick(editor.action_buttons["issue"], Qt.MouseButton.LeftButton)
    assert "38.68 EUR" in asked[0]
    # Issued in the worker pool: the editor shows it when the answer is back.
    qtbot.waitUntil(lambda: editor.action_buttons["payment"].isVisible())
    issued = svc.invoices.get(draft_id)
    assert issued.status == "open"
    assert issued.number is not None
    assert issued.gross == Decimal("38.68")
    assert not editor.entry_box.isVisible()
    assert editor.action_buttons["payment"].isVisible()

    # Credit note for one of the two starter kits.
    qtbot.mouseClick(editor.action_buttons["credit"], Qt.MouseButton.LeftButton)
    credit = editor.child_dialog
    assert isinstance(credit, CreditDialog)
    credit.partial.setChecked(True)
    kit_line = next(line for line in issued.lines if line.product_id == product.id)
    credit.quantities[kit_line.id].setText("1")
    qtbot.keyClicks(credit.reason, "One kit returned")
    qtbot.mouseClick(
        credit.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    qtbot.waitUntil(lambda: credit.credit_note is not None)  # written off the GUI thread
    notes = svc.invoices.list(kind="credit_note").items
    assert len(notes) == 1
    assert notes[0].gross == Decimal("-14.88")  # 12.50 + 19 % VAT, negative
    after_credit = svc.invoices.get(draft_id)
    assert after_credit.balance == Decimal("23.80")

    # Payment of what is still due.
    qtbot.mouseClick(editor.action_buttons["payment"], Qt.MouseButton.LeftButton)
    payment = editor.child_dialog
    assert isinstance(payment, PaymentDialog)
    assert payment.fields["amount"].text() == "23.80"
    type_into(qtbot, payment, "reference", "Bank ref 4711")
    click_save(qtbot, payment)
    qtbot.waitUntil(lambda: not editor.action_buttons["payment"].isVisible())
    paid = svc.invoices.get(draft_id)
    assert paid.status == "paid"
    assert [p.reference for p in svc.payments.list(draft_id)] == ["Bank ref 4711"]
    assert not editor.action_buttons["payment"].isVisible()

    # The PDF, rendered in a worker, shown with QtPdf, and saved.
    qtbot.mouseClick(editor.action_buttons["pdf"], Qt.MouseButton.LeftButton)
    preview = editor.child_dialog
    assert isinstance(preview, PdfPreview)
    qtbot.waitUntil(lambda: preview.save_button.isEnabled(), timeout=20_000)
    assert preview.document.pageCount() >= 1
    target = tmp_path / "invoice.pdf"
    preview.save_to(target)
    assert target.read_bytes().startswith(b"%PDF")
    preview.accept()

    # E-invoice export (UBL), built in a worker.
    qtbot.mouseClick(editor.action_buttons["export"], Qt.MouseButton.LeftButton)
    export = editor.child_dialog
    assert isinstance(export, ExportDialog)
    ubl = tmp_path / "invoice.xml"
    export.export_to(ubl, "ubl")
    qtbot.waitUntil(lambda: export.status.text().startswith("Saved"), timeout=20_000)
    assert (paid.number or "") in ubl.read_text(encoding="utf-8")
    assert "<cbc:PayableAmount" in ubl.read_text(encoding="utf-8")
    export.accept()
    editor.accept()

    # The invoice list shows it; the search narrows it down.
    window.tabs.setCurrentIndex(MainWindow.TAB_INVOICES)
    assert window.invoices.model.rowCount() == 2  # invoice + credit note
    window.invoices.search.setText(paid.number or "")
    window.invoices.reload()
    assert [
        window.invoices.model.record(r).id for r in range(window.invoices.model.rowCount())
    ] == [draft_id]

    # VAT report for the quarter, saved as CSV.
    window.tabs.setCurrentIndex(MainWindow.TAB_REPORTS)
    with qtbot.waitSignal(window.reports.loaded, timeout=10_000):
        qtbot.mouseClick(window.reports.run_button, Qt.MouseButton.LeftButton)
    csv_path = tmp_path / "vat.csv"
    window.reports.save_csv(csv_path)
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "Section,Category,Rate %,Currency,Taxable,VAT"
    assert any(",EUR," in row for row in rows[1:])


def test_bad_input_shows_problems_and_saves_nothing(
    qtbot: Any, window: MainWindow, svc: Services
) -> None:
    window.new_customer()
    dialog = window.dialog
    assert isinstance(dialog, FormDialog)
    type_into(qtbot, dialog, "country", "XX")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert "name" in dialog.problems.text()
    assert svc.customers.list().total == 0


def test_wizard_refuses_bad_profile_and_stays_open(
    qtbot: Any, window: MainWindow, svc: Services
) -> None:
    window.start()
    wizard = window.dialog
    assert isinstance(wizard, SetupWizard)
    type_into(qtbot, wizard, "legal_name", "Shop")
    type_into(qtbot, wizard, "country", "ZZ")
    wizard.next()
    wizard.next()
    wizard.accept()
    assert wizard.isVisible()
    assert "country" in wizard.bank_page.problems.text()
    assert not svc.shop.is_set_up()


def test_shortcuts_switch_tabs_and_load_lists_lazily(
    qtbot: Any, window: MainWindow, demo_svc: Services
) -> None:
    assert not window.invoices.loaded
    assert window.actions_by_name["tab_1"].shortcut().toString() == "Ctrl+2"
    window.actions_by_name["tab_1"].trigger()
    assert window.tabs.currentWidget() is window.invoices
    assert window.invoices.model.rowCount() == min(50, demo_svc.invoices.list().total)
    window.invoices.filter.setCurrentIndex(window.invoices.filter.findData("paid"))
    statuses = {
        window.invoices.model.record(r).status for r in range(window.invoices.model.rowCount())
    }
    assert statuses == {"paid"}
    assert isinstance(window.findChild(QPushButton, "new"), QPushButton)


def test_archived_customers_show_only_with_the_filter(
    qtbot: Any, window: MainWindow, svc: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = svc.customers.add(NewCustomer(name="Kept Ltd", country="IE"))
    gone = svc.customers.add(NewCustomer(name="Gone Ltd", country="IE"))
    window.tabs.setCurrentIndex(MainWindow.TAB_CUSTOMERS)
    page = window.customers
    row = next(r for r in range(page.model.rowCount()) if page.model.record(r).id == gone.id)
    page.view.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    window.actions_by_name["archive"].trigger()
    assert svc.customers.get(gone.id).archived
    assert [page.model.record(r).id for r in range(page.model.rowCount())] == [kept.id]
    page.filter.setCurrentIndex(page.filter.findData(True))
    assert {page.model.record(r).id for r in range(page.model.rowCount())} == {kept.id, gone.id}
    assert page.count.text() == "2 of 2 shown"


def test_keyboard_shortcuts_reach_the_actions(qtbot: Any, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.customers
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.customers.search.hasFocus()
    qtbot.keyClick(
        window.customers.search,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert isinstance(window.dialog, FormDialog)
    assert window.dialog.windowTitle() == "New customer"
    window.dialog.reject()
