"""Settings: shop profile changes are saved; secrets are write-only and go to the keyring."""

from __future__ import annotations

import tomllib
from typing import Any

from eth_utils.address import to_checksum_address
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from invoicer.services.app import Services
from invoicer.services.commands import SettingsChanges, ShopProfileChanges
from invoicer.services.settings import SettingsService
from tests.keyrings import MemoryKeyring
from ui_qt.dialogs.settings_dialog import SettingsDialog


def make_shop(svc: Services) -> None:
    svc.shop.save(
        ShopProfileChanges(
            legal_name="Muster GmbH",
            street="Hauptstraße 1",
            postcode="10115",
            city="Berlin",
            country="DE",
            currency="EUR",
            vat_number="DE136695976",
        )
    )


def test_settings_save_profile_and_secret_write_only(
    qtbot: Any, svc: Services, memory_keyring: MemoryKeyring
) -> None:
    make_shop(svc)
    memory_keyring.set_password("invoicer", "stripe_secret_key", "sk_test_old")
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.secrets_loaded):
        dialog.show()
    stripe = dialog.findChild(QLineEdit, "stripe_secret_key")
    assert stripe.echoMode() == QLineEdit.EchoMode.Password
    assert stripe.text() == ""  # the stored value is never shown
    assert "set" in stripe.placeholderText()
    assert "not set" in dialog.secret_edits["rpc_key"].placeholderText()
    city = dialog.findChild(QLineEdit, "city")
    city.clear()
    qtbot.keyClicks(city, "Potsdam")
    qtbot.keyClicks(stripe, "sk_test_new")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    shop = svc.shop.get()
    assert shop is not None
    assert shop.city == "Potsdam"
    assert memory_keyring.entries[("invoicer", "stripe_secret_key")] == "sk_test_new"
    assert stripe.text() == ""


def test_settings_without_keyring_say_so(qtbot: Any, svc: Services, no_keyring: None) -> None:
    make_shop(svc)
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: (
            "keyring" in dialog.keyring_status.text().lower()
            and "Checking" not in dialog.keyring_status.text()
        )
    )
    assert not dialog.secret_edits["stripe_secret_key"].isEnabled()


def save_button(dialog: SettingsDialog) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def retype(qtbot: Any, dialog: SettingsDialog, name: str, text: str) -> None:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None, name
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_payment_and_vies_settings_are_saved_to_the_settings_file(
    qtbot: Any, svc: Services, memory_keyring: MemoryKeyring
) -> None:
    make_shop(svc)
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    dialog.show()
    policy = dialog.findChild(QComboBox, "vies_policy")
    assert policy.currentData() == "block"  # the default is shown
    policy.setCurrentIndex(policy.findData("warn"))
    retype(qtbot, dialog, "vies_max_age_days", "60")
    retype(qtbot, dialog, "chain_id", "8453")
    retype(qtbot, dialog, "confirmations", "5")
    retype(qtbot, dialog, "receiving_address", "0x" + "ab" * 20)
    retype(qtbot, dialog, "rpc_url", "https://rpc.example.test")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problems.text()
    saved = SettingsService().get()
    assert (saved.vies_policy, saved.vies_max_age_days) == ("warn", 60)
    assert (saved.chain_id, saved.confirmations, saved.rpc_url) == (
        8453,
        5,
        "https://rpc.example.test",
    )
    assert saved.receiving_address == to_checksum_address("0x" + "ab" * 20)  # EIP-55 stored
    # Only what was changed is written: the rest keeps following the defaults.
    assert "stripe_api_base" not in tomllib.loads(SettingsService().path.read_text())


def test_bad_settings_are_refused_and_nothing_is_saved(
    qtbot: Any, svc: Services, memory_keyring: MemoryKeyring
) -> None:
    make_shop(svc)
    SettingsService().set(SettingsChanges(confirmations="12"))
    before = SettingsService().path.read_bytes()
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.secrets_loaded):
        dialog.show()
    retype(qtbot, dialog, "city", "Potsdam")  # a good change in the same save
    retype(qtbot, dialog, "chain_id", "mainnet")
    retype(qtbot, dialog, "receiving_address", "0x1234")
    retype(qtbot, dialog, "crypto_assets", "ETH, EURC:nonsense")
    retype(qtbot, dialog, "stripe_api_base", "api.stripe.com")
    qtbot.keyClicks(dialog.secret_edits["stripe_secret_key"], "sk_test_new")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    problems = dialog.problems.text()
    for field in ("chain_id", "receiving_address", "crypto_assets", "stripe_api_base"):
        assert field in problems
    assert "whole number" in problems
    assert SettingsService().path.read_bytes() == before
    shop = svc.shop.get()
    assert shop is not None
    assert shop.city == "Berlin"
    assert ("invoicer", "stripe_secret_key") not in memory_keyring.entries


def test_a_setting_from_the_environment_is_shown_but_not_editable(
    qtbot: Any, svc: Services, monkeypatch: Any
) -> None:
    monkeypatch.setenv("INVOICER_CONFIRMATIONS", "2")
    make_shop(svc)
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    edit = dialog.findChild(QLineEdit, "confirmations")
    assert edit.text() == "2"
    assert not edit.isEnabled()
    assert "INVOICER_CONFIRMATIONS" in edit.toolTip()
    assert "confirmations" not in dialog.changed_settings()


def test_delete_a_secret_shows_only_set_or_not_set(
    qtbot: Any, svc: Services, memory_keyring: MemoryKeyring
) -> None:
    make_shop(svc)
    memory_keyring.set_password("invoicer", "stripe_secret_key", "sk_test_secret_value")
    memory_keyring.set_password("invoicer", "rpc_key", "rpc_secret_value")
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.secrets_loaded):
        dialog.show()
    assert dialog.secret_states["stripe_secret_key"].text() == "set"
    assert dialog.secret_states["remote_api_key"].text() == "not set"
    assert not dialog.delete_buttons["remote_api_key"].isEnabled()
    shown = " ".join(w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QLineEdit))
    assert "secret_value" not in shown
    delete = dialog.findChild(QPushButton, "stripe_secret_key_delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(dialog.secrets_loaded):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert ("invoicer", "stripe_secret_key") not in memory_keyring.entries
    assert memory_keyring.entries[("invoicer", "rpc_key")] == "rpc_secret_value"
    assert dialog.secret_states["stripe_secret_key"].text() == "not set"
    assert not dialog.delete_buttons["stripe_secret_key"].isEnabled()


def test_declining_the_delete_keeps_the_secret(
    qtbot: Any, svc: Services, memory_keyring: MemoryKeyring
) -> None:
    make_shop(svc)
    memory_keyring.set_password("invoicer", "rpc_key", "rpc_secret_value")
    dialog = SettingsDialog(svc)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.secrets_loaded):
        dialog.show()
    qtbot.mouseClick(dialog.delete_buttons["rpc_key"], Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert memory_keyring.entries[("invoicer", "rpc_key")] == "rpc_secret_value"
    assert dialog.secret_states["rpc_key"].text() == "set"
