"""F7 Settings beyond the shop profile: the VIES policy and payment settings (saved through
SettingsService, refused beside the field with nothing saved), and the secrets in the keyring
(set and delete; values never on screen; a clear message without a keyring)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select, Static, TabbedContent

from invoicer.services.settings import SettingsService
from tests.keyrings import MemoryKeyring
from tests.tui.conftest import make_app, screen_text, settle, type_into
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.dialogs.secret import SecretDialog
from ui_tui.screens.settings import SettingsScreen

SECRET = "sk_test_do_not_show_4242"


def problem(screen: Any, field: str) -> str:
    return str(screen.query_one(f"#field-{field} .error", Static).content)


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def open_tab(pilot: Any, tab: str) -> None:
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SettingsScreen)
    pilot.app.screen.query_one(TabbedContent).active = f"section-{tab}"
    await settle(pilot)


async def test_vies_policy_is_saved_and_used_by_the_open_services(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "vies")
        assert app.screen.query_one("#vies_policy", Select).value == "block"
        app.screen.query_one("#vies_policy", Select).value = "warn"
        await type_into(pilot, "#vies_max_age_days", "7")
        await pilot.press("ctrl+s")
        await settle(pilot)
        settings = SettingsService().get()
        assert (settings.vies_policy, settings.vies_max_age_days) == ("warn", 7)
        assert (shop_svc.invoices.vies_policy, shop_svc.invoices.vies_max_age_days) == ("warn", 7)
        assert "Settings saved." in messages(app)
        # Only what was changed is written; the defaults stay defaults.
        stored = SettingsService().path.read_text()
        assert "vies_policy" in stored
        assert "vies_url" not in stored


async def test_a_bad_setting_is_shown_beside_its_field_and_nothing_is_saved(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "0")
        await type_into(pilot, "#legal_name", "Renamed GmbH")
        await open_tab(pilot, "payments")
        await type_into(pilot, "#confirmations", "many")
        await type_into(pilot, "#receiving_address", "0x123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#field-confirmations").has_class("-invalid")
        assert screen.query_one("#field-receiving_address").has_class("-invalid")
        assert "must be a whole number from 0 to 10000" in problem(screen, "confirmations")
        assert "not an Ethereum address" in problem(screen, "receiving_address")
        assert screen.query_one(TabbedContent).active == "section-payments"
        assert not SettingsService().path.exists()
        assert shop_svc.shop.get().legal_name == "Beispiel Handel GmbH"  # the profile too


async def test_an_environment_override_is_pointed_out(
    shop_svc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("INVOICER_VIES_RETRIES", "5")
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "vies")
        assert app.screen.query_one("#vies_retries").value == "5"  # type: ignore[attr-defined]
        assert "Set by INVOICER_VIES_RETRIES" in problem(app.screen, "vies_retries")


async def test_secrets_are_set_and_deleted_in_the_keyring_and_never_shown(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "secrets")
        text = screen_text(app)
        assert "Keyring: tests.keyrings.MemoryKeyring" in text
        assert text.count("not set") == 4  # remote API, Stripe, RPC, SMTP
        app.screen.query_one("#secrets").focus()
        await pilot.press("down")  # the Stripe secret key, second row
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SecretDialog)
        await pilot.press("enter")  # empty: refused by the service, nothing stored
        await settle(pilot)
        assert isinstance(app.screen, SecretDialog)
        assert "The secret is empty" in problem(app.screen, "value")
        assert memory_keyring.entries == {}
        await pilot.press(*SECRET)
        assert SECRET not in screen_text(app)  # typed into a password field
        await pilot.press("enter")
        await settle(pilot)
        assert memory_keyring.entries == {("invoicer", "stripe_secret_key"): SECRET}
        assert isinstance(app.screen, SettingsScreen)
        text = screen_text(app)
        assert text.count("not set") == 3
        assert SECRET not in text
        assert all(SECRET not in m for m in messages(app))
        # Delete, after the confirmation.
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert memory_keyring.entries == {}
        assert screen_text(app).count("not set") == 4
        assert "Deleted the Stripe secret key." in messages(app)


async def test_delete_is_offered_only_for_a_secret_that_is_set(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "0")
        assert app.screen.check_action("delete_secret", ()) is False
        await open_tab(pilot, "secrets")
        assert app.screen.check_action("set_secret", ()) is True
        assert app.screen.check_action("delete_secret", ()) is False
        memory_keyring.set_password("invoicer", "remote_api_key", "x")
        app.screen.reload_secrets()  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.screen.check_action("delete_secret", ()) is True


async def test_without_a_keyring_the_user_reads_what_to_do(
    shop_svc: Any, tmp_path: Path, no_keyring: None
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "secrets")
        assert "No usable keyring was found" in screen_text(app)
        app.screen.query_one("#secrets").focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*SECRET, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SecretDialog)  # still open: nothing was stored
        assert any("No usable keyring" in m for m in messages(app))
        assert all(SECRET not in m for m in messages(app))


async def test_a_refused_profile_saves_no_setting_either(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_tab(pilot, "vies")
        app.screen.query_one("#vies_policy", Select).value = "warn"
        await open_tab(pilot, "3")  # Bank
        await type_into(pilot, "#iban", "DE00 1234")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#field-iban").has_class("-invalid")
        assert app.screen.query_one(TabbedContent).active == "section-3"
        assert not SettingsService().path.exists()
        assert shop_svc.invoices.vies_policy == "block"
        assert shop_svc.shop.get().iban == "DE89370400440532013000"
