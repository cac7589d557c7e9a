"""Settings: shop profile changes are saved; secrets are write-only and go to the keyring."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from invoicer.services.app import Services
from tests.integrations.conftest import MemoryKeyring
from ui_qt.dialogs.settings_dialog import SettingsDialog


def make_shop(svc: Services) -> None:
    svc.shop.save(
        legal_name="Muster GmbH",
        street="Hauptstraße 1",
        postcode="10115",
        city="Berlin",
        country="DE",
        currency="EUR",
        vat_number="DE136695976",
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
