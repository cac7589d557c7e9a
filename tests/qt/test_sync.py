"""The GUI's sync: the status bar shows svc.sync's state (hidden when off; synced, n pending,
offline, needs attention), the Settings dialog's Sync tab sets up, lists and revokes devices
against a real server on loopback, and background sync runs only when a test asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, ShopProfileChanges
from invoicer.services.sync import views
from tests.keyrings import MemoryKeyring
from tests.sync_ui_server import PROFILE, LiveServer, conflicted_store, link, live_server
from ui_qt.dialogs.settings_dialog import SettingsDialog
from ui_qt.dialogs.sync_revoke_dialog import SyncRevokeDialog
from ui_qt.widgets.sync_indicator import SyncIndicator, indicator_text
from ui_qt.windows.main_window import MainWindow

WAIT = 20_000  # ms: a real server on loopback, and a busy 2-core machine


@pytest.fixture
def shop_svc(svc: Services) -> Services:
    """The server's shop as this store knew it before sync (the same profile)."""
    svc.shop.save(ShopProfileChanges(**PROFILE, currency="EUR"))
    return svc


@pytest.fixture
def server(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[LiveServer]:
    with live_server(tmp_path / "server") as live:
        yield live


def cell(table: Any, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return str(item.text())


def started(qtbot: Any, svc: Services, **options: Any) -> MainWindow:
    """The main window shown and started, with no background sync unless asked."""
    options.setdefault("sync_every_ms", None)
    options.setdefault("sync_after_change_ms", None)
    window = MainWindow(svc, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.sync.status_changed, timeout=WAIT):
        window.start()
    return window


def test_a_store_without_sync_shows_nothing(qtbot: Any, shop_svc: Services) -> None:
    window = started(qtbot, shop_svc)
    assert window.sync.status is not None
    assert window.sync.status.state == views.OFF  # what svc.sync.status() said
    indicator = window.statusBar().findChild(SyncIndicator, "syncIndicator")
    assert indicator is window.sync_indicator
    assert not indicator.isVisible()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (views.SyncStatus(views.SYNCED, "Synced 2 minutes ago"), "Sync: Synced 2 minutes ago"),
        (
            views.SyncStatus(views.PENDING, "3 changes waiting to be sent", pending=3),
            "Sync: 3 pending · 3 changes waiting to be sent",
        ),
        (
            views.SyncStatus(views.OFFLINE, "Offline since 10:42 UTC", pending=1),
            "Sync: Offline since 10:42 UTC",
        ),
        (
            views.SyncStatus(views.ATTENTION, "Needs attention: 1 conflict to settle", conflicts=1),
            "Sync: Needs attention: 1 conflict to settle",
        ),
    ],
)
def test_the_status_bar_shows_each_state(
    qtbot: Any, shop_svc: Services, status: views.SyncStatus, shown: str
) -> None:
    assert indicator_text(status) == shown
    window = started(qtbot, shop_svc)
    window.sync.show(status)
    indicator = window.sync_indicator
    assert indicator.isVisible()
    assert indicator.text() == shown
    assert indicator.toolTip() == status.message
    assert indicator.state == status.state
    window.sync.show(views.SyncStatus(views.OFF, "Sync is not set up."))
    assert not indicator.isVisible()


def test_a_linked_store_counts_a_change_and_syncs_it(
    qtbot: Any, shop_svc: Services, server: LiveServer
) -> None:
    link(shop_svc, server)
    window = started(qtbot, shop_svc)
    assert window.sync_indicator.text() == "Sync: Synced just now"
    shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
    with qtbot.waitSignal(window.sync.status_changed, timeout=WAIT):
        window.sync.changed()  # what a saved dialog triggers
    assert window.sync.status is not None
    pending = window.sync.status.pending
    assert pending >= 1
    assert window.sync_indicator.text().startswith(f"Sync: {pending} pending")
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
        window.actions_by_name["sync_now"].trigger()  # File > Sync now
    assert window.sync.status.state == views.SYNCED
    assert window.sync.status.pending == 0
    assert window.sync_indicator.text() == "Sync: Synced just now"
    qtbot.mouseClick(window.sync_indicator, Qt.MouseButton.LeftButton)
    assert isinstance(window.dialog, SettingsDialog)  # the click opens the Sync settings
    assert window.dialog.tabs.currentWidget() is window.dialog.sync_page
    assert "Device: Shop laptop (series code" in window.dialog.sync_page.summary.text()


def test_background_sync_runs_after_a_change_when_asked(
    qtbot: Any, shop_svc: Services, server: LiveServer
) -> None:
    link(shop_svc, server)
    window = started(qtbot, shop_svc, sync_after_change_ms=50)
    shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT) as ran:
        window.sync.changed()
    report, error = ran.args
    assert error is None
    assert report.pushed >= 1
    assert window.sync.status is not None
    assert window.sync.status.pending == 0


def test_no_background_sync_unless_asked(
    qtbot: Any, shop_svc: Services, server: LiveServer
) -> None:
    link(shop_svc, server)
    window = started(qtbot, shop_svc)
    shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
    with qtbot.waitSignal(window.sync.status_changed, timeout=WAIT):
        window.sync.changed()
    with qtbot.assertNotEmitted(window.sync.finished, wait=300):
        pass
    assert not window.sync.running


def test_an_unreachable_server_shows_offline_not_a_crash(
    qtbot: Any, shop_svc: Services, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with live_server(tmp_path / "server") as live:
        link(shop_svc, live)
    shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
    window = started(qtbot, shop_svc)
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
        window.sync.sync_now()
    assert window.sync.status is not None
    assert window.sync.status.state == views.OFFLINE
    assert window.sync_indicator.text().startswith("Sync: Offline since")
    assert window.isVisible()


def test_set_up_list_and_revoke_from_the_sync_tab(
    qtbot: Any, shop_svc: Services, server: LiveServer
) -> None:
    window = started(qtbot, shop_svc)
    dialog = SettingsDialog(shop_svc, window, window.sync)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.sync_page
    dialog.tabs.setCurrentWidget(page)
    assert "Sync is off" in page.summary.text()
    assert page.setup_box.isVisible()
    for name, text in (
        ("sync_url", server.url),
        ("sync_name", "Shop desktop"),
        ("sync_email", server.email),
        ("sync_password", server.password),
    ):
        qtbot.keyClicks(page.findChild(QLineEdit, name), text)
    with qtbot.waitSignal(page.linked, timeout=WAIT):
        qtbot.mouseClick(page.link_button, Qt.MouseButton.LeftButton)
    assert window.sync.status is not None
    assert window.sync.status.state == views.SYNCED
    assert window.sync_indicator.text() == "Sync: Synced just now"  # the bar agrees
    assert "Device: Shop desktop (series code" in page.summary.text()
    assert not page.setup_box.isVisible()
    assert page.edits["password"].text() == ""  # used once, kept nowhere
    with qtbot.waitSignal(page.devices_loaded, timeout=WAIT):
        qtbot.mouseClick(page.list_button, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 1
    assert cell(page.table, 0, 0) == "Shop desktop (this one)"
    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    revoke = page.revoke_dialog
    assert isinstance(revoke, SyncRevokeDialog)
    assert "Revoke Shop desktop" in revoke.windowTitle()
    qtbot.keyClicks(revoke.email, server.email)
    qtbot.keyClicks(revoke.password, "wrong password")
    qtbot.mouseClick(revoke.revoke_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: revoke.revoke_button.isEnabled(), timeout=WAIT)
    assert revoke.isVisible()  # refused: the dialog stays, with the server's words
    assert revoke.problems.text()
    revoke.password.clear()
    qtbot.keyClicks(revoke.password, server.password)
    with qtbot.waitSignal(page.devices_loaded, timeout=WAIT):
        qtbot.mouseClick(revoke.revoke_button, Qt.MouseButton.LeftButton)
    assert "revoked" in cell(page.table, 0, 4)
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert window.sync.status.state == views.ATTENTION
    assert window.sync.status.revoked
    assert window.sync_indicator.text().startswith("Sync: Needs attention")


def test_a_conflict_is_shown_and_settled_from_the_sync_tab(
    qtbot: Any, tmp_path: Path, server: LiveServer
) -> None:
    with conflicted_store(tmp_path, server) as desktop:
        window = started(qtbot, desktop)
        assert window.sync_indicator.text().startswith("Sync: Needs attention: 1 conflict")
        dialog = SettingsDialog(desktop, window, window.sync)
        qtbot.addWidget(dialog)
        box = dialog.sync_page.conflicts
        qtbot.waitUntil(lambda: len(box.conflicts) == 1, timeout=WAIT)
        dialog.show()
        assert box.table.rowCount() == 1
        assert cell(box.table, 0, 0) == "product Tea"
        assert cell(box.table, 0, 1) == "unit_price"
        assert sorted(cell(box.table, 0, 3).split(" / ")) == ["11.00", "12.00"]
        qtbot.mouseClick(box.settle_button, Qt.MouseButton.LeftButton)
        choice = box.choice
        assert choice is not None
        assert sorted(choice.comboBoxItems()) == ["11.00", "12.00"]
        choice.setTextValue("11.00")
        with qtbot.waitSignal(box.settled, timeout=WAIT):
            choice.accept()
        qtbot.waitUntil(lambda: box.conflicts == (), timeout=WAIT)
        assert desktop.sync.conflicts() == ()
        assert [p.unit_price for p in desktop.products.list().items] == [Decimal("11.00")]
        assert not box.table.isVisible()
        with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
            window.sync.sync_now()  # the choice goes up
        assert window.sync.status is not None
        assert window.sync.status.state == views.SYNCED


def test_a_run_that_raises_is_shown_not_a_crash(
    qtbot: Any, shop_svc: Services, server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    link(shop_svc, server)

    def broken(progress: Any = None) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(shop_svc.sync, "run", broken)  # a failure the engine did not record
    window = started(qtbot, shop_svc)
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT) as ran:
        window.sync.sync_now()
    assert isinstance(ran.args[1], RuntimeError)
    qtbot.waitUntil(
        lambda: window.sync.status is not None and window.sync.status.state == views.ATTENTION,
        timeout=WAIT,
    )
    assert "disk full" in window.sync_indicator.text()
    assert window.isVisible()
