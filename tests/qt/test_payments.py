"""Getting paid from the GUI: card links (Stripe stand-in), crypto requests and on-chain checks
(eth-tester over JSON-RPC), bank statements (CAMT.053). Driven through the real widgets and
checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QToolButton,
)

from invoicer.domain.payments.reference import rf_reference
from invoicer.integrations import secrets
from invoicer.services import payment_requests
from invoicer.services.app import Services
from invoicer.services.commands import (
    CryptoRequest,
    CryptoTransaction,
    SettingsChanges,
    ShopProfileChanges,
)
from invoicer.services.settings import SettingsService
from tests.keyrings import MemoryKeyring
from tests.payments import eth_rpc, stripe_server
from tests.payments.evm import mine, new_chain, pay_token
from tests.payments.shop import SHOP, issued
from tests.payments.test_bank_statements import camt
from ui_qt.dialogs.check_tx_dialog import CheckTxDialog
from ui_qt.dialogs.crypto_request_dialog import CryptoRequestDialog
from ui_qt.dialogs.invoice_editor import InvoiceEditor
from ui_qt.dialogs.link_dialog import LinkDialog
from ui_qt.dialogs.statement_result import StatementResultDialog
from ui_qt.windows.main_window import MainWindow


@pytest.fixture
def shop(svc: Services) -> Services:
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


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


def click(qtbot: Any, button: QPushButton) -> None:
    assert button.isVisible(), button.objectName()
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def message_box(qtbot: Any, owner: Any) -> QMessageBox:
    qtbot.waitUntil(lambda: isinstance(owner.child_dialog, QMessageBox))
    box = owner.child_dialog
    assert isinstance(box, QMessageBox)
    return box


# -- card payments (Stripe) -----------------------------------------------------------------
@pytest.fixture
def stripe(
    svc: Services, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    with stripe_server.running() as (url, stand_in):
        monkeypatch.setenv("INVOICER_STRIPE_API_BASE", url)
        svc.reload_settings()  # as if set before the app started: the services read it once
        secrets.set_secret("stripe_secret_key", stripe_server.VALID_KEY)
        yield stand_in


def test_card_link_from_the_editor_then_refresh_from_the_menu_books_it(
    qtbot: Any, window: MainWindow, shop: Services, stripe: Any
) -> None:
    invoice_id = issued(shop)
    editor = open_editor(qtbot, window, invoice_id)
    assert "No payments yet" in editor.payments.text()
    click(qtbot, editor.action_buttons["cardLink"])
    qtbot.waitUntil(lambda: isinstance(editor.child_dialog, LinkDialog))
    link = editor.child_dialog
    assert isinstance(link, LinkDialog)
    (request,) = payment_requests.for_invoice(shop, invoice_id, "stripe")
    assert (request.amount_minor, request.currency, request.status) == (12100, "EUR", "open")
    assert link.url.text() == request.url == stripe.sessions[request.external_id]["url"]
    click(qtbot, link.findChild(QPushButton, "copy"))
    assert QGuiApplication.clipboard().text() == request.url
    assert request.url in editor.payments.text()  # the editor lists the link it offers
    link.close()

    stripe.pay(request.external_id, fee=180)
    window.actions_by_name["refresh_card_payments"].trigger()
    qtbot.waitUntil(lambda: window.info_box is not None and window.info_box.isVisible())
    assert window.info_box is not None
    assert shop.invoices.get(invoice_id).number in window.info_box.text()
    (payment,) = shop.payments.list(invoice_id)
    assert (payment.amount, payment.method) == (Decimal("121.00"), "card")
    assert shop.invoices.get(invoice_id).status == "paid"
    # A second refresh records nothing twice.
    window.info_box.close()
    window.actions_by_name["refresh_card_payments"].trigger()
    qtbot.waitUntil(lambda: window.info_box is not None and window.info_box.isVisible())
    assert len(shop.payments.list(invoice_id)) == 1


def test_stripe_refusal_is_a_readable_dialog_and_stores_nothing(
    qtbot: Any, window: MainWindow, shop: Services, stripe: Any
) -> None:
    secrets.set_secret("stripe_secret_key", "sk_test_wrong")
    invoice_id = issued(shop)
    editor = open_editor(qtbot, window, invoice_id)
    click(qtbot, editor.action_buttons["cardLink"])
    box = message_box(qtbot, editor)
    assert "Stripe" in box.text()
    assert "key" in box.text()
    assert "Traceback" not in box.text()
    assert "sk_test_wrong" not in box.text()
    assert payment_requests.for_invoice(shop, invoice_id, "stripe") == []
    assert editor.action_buttons["cardLink"].isEnabled()  # ready for another try


# -- crypto (eth-tester behind JSON-RPC) --------------------------------------------------
@pytest.fixture(scope="module")
def chain() -> dict[str, Any]:
    return new_chain()


@pytest.fixture
def crypto(
    svc: Services,
    chain: dict[str, Any],
    memory_keyring: MemoryKeyring,  # the check asks the keyring for rpc_key: never the user's
) -> Iterator[dict[str, Any]]:
    with eth_rpc.serving(chain["w3"]) as url:
        SettingsService().set(
            SettingsChanges(
                rpc_url=url,
                chain_id=str(chain["w3"].eth.chain_id),
                confirmations="3",
                receiving_address=chain["shop"],
                crypto_assets=f"ETH, EURC:{chain['eurc'].address}:6:EUR",
            )
        )
        svc.reload_settings()  # as the settings dialog does when it saves
        yield chain


def request_via_dialog(
    qtbot: Any, editor: InvoiceEditor, asset: str, rate: str = ""
) -> CryptoRequestDialog:
    click(qtbot, editor.action_buttons["cryptoRequest"])
    dialog = editor.child_dialog
    assert isinstance(dialog, CryptoRequestDialog)
    box = dialog.fields["asset"]
    box.setCurrentIndex(box.findData(asset))
    if rate:
        qtbot.keyClicks(dialog.rate_edit, rate)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    return dialog


def check_via_dialog(qtbot: Any, editor: InvoiceEditor, tx_hash: str) -> CheckTxDialog:
    click(qtbot, editor.action_buttons["checkTx"])
    dialog = editor.child_dialog
    assert isinstance(dialog, CheckTxDialog)
    qtbot.keyClicks(dialog.tx_hash, tx_hash)
    click(qtbot, dialog.check_button)
    qtbot.waitUntil(lambda: dialog.error_box is not None or not dialog.isVisible())
    return dialog


def test_token_request_and_check_tx_book_the_payment(
    qtbot: Any, window: MainWindow, shop: Services, crypto: dict[str, Any]
) -> None:
    invoice_id = issued(shop)
    editor = open_editor(qtbot, window, invoice_id)
    dialog = request_via_dialog(qtbot, editor, "EURC")
    assert not dialog.rate_edit.isEnabled()  # a stablecoin follows the invoice currency
    link = editor.child_dialog
    assert isinstance(link, LinkDialog)
    (request,) = payment_requests.for_invoice(shop, invoice_id, "crypto")
    assert request.details["units"] == 121_000_000
    assert link.url.text() == request.url
    assert request.url.startswith(f"ethereum:{crypto['eurc'].address}@")
    link.close()

    tx = pay_token(crypto, "eurc", crypto["shop"], 121_000_000)
    mine(crypto, 3)
    check = check_via_dialog(qtbot, editor, tx)
    assert check.error_box is None, check.error_box.text()
    box = message_box(qtbot, editor)
    assert box.objectName() == "infoBox"
    assert tx.lower() in box.text()
    (payment,) = shop.payments.list(invoice_id)
    assert (payment.amount, payment.method, payment.reference) == (
        Decimal("121.00"),
        "crypto",
        tx.lower(),
    )
    assert shop.invoices.get(invoice_id).status == "paid"
    assert tx.lower() in editor.payments.text()  # the payment list shows the booking
    assert not editor.action_buttons["checkTx"].isVisible()  # nothing left to pay


def test_eth_request_needs_a_valid_rate_and_stores_it(
    qtbot: Any, window: MainWindow, shop: Services, crypto: dict[str, Any]
) -> None:
    invoice_id = issued(shop)
    editor = open_editor(qtbot, window, invoice_id)
    dialog = request_via_dialog(qtbot, editor, "ETH")
    assert dialog.isVisible()
    assert "exchange rate" in dialog.problems.text()
    qtbot.keyClicks(dialog.rate_edit, "abc")
    dialog.accept()
    assert "positive number" in dialog.problems.text()
    assert payment_requests.for_invoice(shop, invoice_id, "crypto") == []
    dialog.rate_edit.clear()
    qtbot.keyClicks(dialog.rate_edit, "2420")
    dialog.accept()
    (request,) = payment_requests.for_invoice(shop, invoice_id, "crypto")
    assert (request.details["units"], request.details["rate"]) == (5 * 10**16, "2420")
    assert isinstance(editor.child_dialog, LinkDialog)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong_recipient", "no EURC transfer to the shop"),
        ("unconfirmed", "confirmation"),
        ("unknown", "not on the chain"),
        ("reused", "already paid an invoice"),
    ],
)
def test_each_failed_check_shows_its_message_and_books_nothing(
    qtbot: Any,
    window: MainWindow,
    shop: Services,
    crypto: dict[str, Any],
    case: str,
    message: str,
) -> None:
    invoice_id = issued(shop)
    tx = "0x" + "ab" * 32
    if case == "wrong_recipient":
        tx = pay_token(crypto, "eurc", crypto["stranger"], 121_000_000)
        mine(crypto, 3)
    elif case == "unconfirmed":
        tx = pay_token(crypto, "eurc", crypto["shop"], 121_000_000)
    elif case == "reused":
        from invoicer.services.payments_crypto import check_transaction, request_payment

        first = issued(shop, "Piet Pietersen")
        request_payment(shop, first, CryptoRequest(asset="EURC"))
        tx = pay_token(crypto, "eurc", crypto["shop"], 121_000_000)
        mine(crypto, 3)
        check_transaction(shop, first, CryptoTransaction(tx_hash=tx), w3=crypto["w3"])
    editor = open_editor(qtbot, window, invoice_id)
    request_via_dialog(qtbot, editor, "EURC")
    check = check_via_dialog(qtbot, editor, tx)
    assert check.isVisible()
    assert check.error_box is not None
    assert message in check.error_box.text(), check.error_box.text()
    assert "Traceback" not in check.error_box.text()
    assert check.status.text() == check.error_box.text()
    assert shop.payments.list(invoice_id) == ()


# -- bank statements --------------------------------------------------------------------------
def test_statement_import_books_matches_and_lists_the_rest(
    qtbot: Any, window: MainWindow, shop: Services, tmp_path: Path
) -> None:
    by_ref = issued(shop, "Anker B.V.")
    number = shop.invoices.get(by_ref).number or ""
    untouched = issued(shop, "Brood & Co", "50.00")
    statement = tmp_path / "statement.xml"
    statement.write_bytes(
        camt(
            [
                {"id": "E1", "amount": "121.00", "ref": rf_reference(number), "name": "ANKER"},
                {"id": "E2", "amount": "99.99", "text": "unknown", "name": "Somebody"},
            ]
        )
    )

    def import_file(path: Path) -> StatementResultDialog:
        # The Invoices page's button for the Payments menu's action.
        window.tabs.setCurrentIndex(MainWindow.TAB_INVOICES)
        button = window.invoices.findChild(QToolButton, "import_statement_button")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        chooser = window.dialog
        assert isinstance(chooser, QFileDialog)
        chooser.selectFile(str(path))
        chooser.accept()
        qtbot.waitUntil(lambda: isinstance(window.dialog, StatementResultDialog))
        result = window.dialog
        assert isinstance(result, StatementResultDialog)
        return result

    result = import_file(statement)
    assert result.booked.rowCount() == 1
    assert result.booked.item(0, 0).text() == number
    assert result.booked.item(0, 2).text() == "RF reference"
    assert result.unmatched.rowCount() == 1
    assert result.unmatched.item(0, 1).text() == "99.99 EUR"
    assert result.unmatched.item(0, 2).text() == "Somebody"
    assert shop.invoices.get(by_ref).status == "paid"
    assert shop.invoices.get(untouched).status == "open"
    result.close()
    again = import_file(statement)  # the same file twice books nothing twice
    assert again.booked.rowCount() == 0
    assert len(shop.payments.list(by_ref)) == 1


def test_a_file_that_is_no_statement_gives_a_message(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.csv"
    junk.write_text("hello\nworld\n")
    window.run_statement_import(str(junk))
    qtbot.waitUntil(lambda: window.info_box is not None and window.info_box.isVisible())
    assert window.info_box is not None
    assert window.info_box.objectName() == "errorBox"
    assert "Traceback" not in window.info_box.text()
    assert window.info_box.text()
    assert window.actions_by_name["import_statement"].isEnabled()


def test_crypto_without_settings_says_where_to_set_them(
    qtbot: Any, window: MainWindow, shop: Services, memory_keyring: MemoryKeyring
) -> None:
    invoice_id = issued(shop)
    editor = open_editor(qtbot, window, invoice_id)
    dialog = request_via_dialog(qtbot, editor, "ETH", "2420")
    assert "receiving address" in dialog.problems.text()
    assert "Settings" in dialog.problems.text()
    dialog.close()
    SettingsService().set(SettingsChanges(receiving_address="0x" + "11" * 20))  # still no RPC URL
    shop.reload_settings()  # as the settings dialog does when it saves
    request_via_dialog(qtbot, editor, "ETH", "2420")
    check = check_via_dialog(qtbot, editor, "0x" + "ab" * 32)
    assert check.error_box is not None
    assert "RPC URL" in check.error_box.text()
    assert shop.payments.list(invoice_id) == ()


def test_scanning_the_chain_books_an_exact_transfer(
    qtbot: Any, window: MainWindow, shop: Services, crypto: dict[str, Any]
) -> None:
    invoice_id = issued(shop, price="10.00")  # 12.10 EUR: no other test pays this amount
    tx = pay_token(crypto, "eurc", crypto["shop"], 12_100_000)
    mine(crypto, 3)
    window.actions_by_name["scan_crypto_payments"].trigger()
    qtbot.waitUntil(lambda: window.info_box is not None and window.info_box.isVisible())
    assert window.info_box is not None
    text = window.info_box.text()
    assert f"{shop.invoices.get(invoice_id).number}: 12.10 EUR ({tx.lower()})" in text
    assert shop.invoices.get(invoice_id).status == "paid"
    assert window.actions_by_name["scan_crypto_payments"].isEnabled()  # ready again
    window.info_box.close()
    window.actions_by_name["scan_crypto_payments"].trigger()  # the cursor moved on
    qtbot.waitUntil(lambda: window.info_box is not None and window.info_box.isVisible())
    assert "0 payment(s) booked" in window.info_box.text() or "No new" in window.info_box.text()
    assert len(shop.payments.list(invoice_id)) == 1
