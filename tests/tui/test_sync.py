"""The TUI's sync: the footer shows svc.sync's state (off, synced, n pending, offline, needs
attention), the Settings screen's Sync tab sets up, syncs, lists and revokes devices against a
real server on loopback, and background sync runs only when a test asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, TabbedContent

from invoicer.services.commands import NewCustomer, ShopProfileChanges
from invoicer.services.sync import views
from invoicer.services.sync.views import indicator_text
from tests.keyrings import MemoryKeyring
from tests.sync_ui_server import PROFILE, LiveServer, conflicted_store, link, live_server
from tests.tui.conftest import make_app, screen_text, settle, type_into
from ui_tui.messages import RecordsChanged
from ui_tui.widgets.sync_indicator import SyncIndicator


@pytest.fixture
def shop_svc(svc: Any) -> Any:
    """The server's shop as this store knew it before sync: the same profile (a store with
    another profile would bring its differences up as conflicts, a state of its own)."""
    svc.shop.save(ShopProfileChanges(**PROFILE, currency="EUR"))
    return svc


@pytest.fixture
def server(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[LiveServer]:
    with live_server(tmp_path / "server") as live:
        yield live


def footer(app: Any) -> str:
    return screen_text(app).splitlines()[-1]


async def open_sync_tab(pilot: Any) -> None:
    await pilot.press("f7")
    await settle(pilot)
    pilot.app.screen.query_one(TabbedContent).active = "section-sync"
    await settle(pilot)


async def test_a_store_without_sync_shows_nothing(shop_svc: Any) -> None:
    app = make_app(shop_svc)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.sync_status.state == views.OFF  # what svc.sync.status() said
        assert "Sync" not in footer(app)
        assert not app.screen.query_one(SyncIndicator).display
        await open_sync_tab(pilot)
        text = screen_text(app)
        assert "Sync is off" in text
        assert "Set up sync" in text
        await app.run_action("sync_now")
        await settle(pilot)
        assert any("Sync is not set up" in str(n.message) for n in app._notifications)


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
async def test_the_footer_shows_each_state(
    shop_svc: Any, status: views.SyncStatus, shown: str
) -> None:
    assert indicator_text(status) == shown
    app = make_app(shop_svc)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        app.show_sync_status(status)
        await settle(pilot)
        assert shown in footer(app)
        assert "palette" in footer(app)  # the command palette key stays
        indicator = app.screen.query_one(SyncIndicator)
        assert indicator.has_class(f"-{status.state}")


async def test_a_linked_store_counts_a_change_as_pending(shop_svc: Any, server: LiveServer) -> None:
    link(shop_svc, server)
    app = make_app(shop_svc)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        assert "Sync: Synced just now" in footer(app)
        shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
        app.post_message(RecordsChanged("customer"))  # what a saving screen posts
        await settle(pilot)
        assert app.sync_status.pending >= 1
        assert f"Sync: {app.sync_status.pending} pending" in footer(app)
        await app.run_action("sync_now")  # the palette's "Sync now"
        await settle(pilot)
        assert app.sync_status.state == views.SYNCED
        assert app.sync_status.pending == 0
        assert "Sync: Synced just now" in footer(app)


async def test_background_sync_runs_after_a_change_when_asked(
    shop_svc: Any, server: LiveServer
) -> None:
    link(shop_svc, server)
    app = make_app(shop_svc, sync_after_change=0.05)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
        app.post_message(RecordsChanged("customer"))
        await settle(pilot)
        for _ in range(100):  # the debounce timer, then the worker
            await pilot.pause(0.05)
            await settle(pilot, rounds=1)
            if app.sync_status.pending == 0 and not app.sync_running:
                break
        assert app.sync_status.state == views.SYNCED
        assert app.sync_status.pending == 0


async def test_no_background_sync_unless_asked(shop_svc: Any, server: LiveServer) -> None:
    link(shop_svc, server)
    app = make_app(shop_svc)  # the tests' default: no interval, no debounce
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
        app.post_message(RecordsChanged("customer"))
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.sync_status.pending >= 1
        assert not app.sync_running


async def test_an_unreachable_server_shows_offline_not_a_crash(
    shop_svc: Any, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with live_server(tmp_path / "server") as live:
        link(shop_svc, live)
    # The server is gone now.
    shop_svc.customers.add(NewCustomer(name="Jan", country="NL", city="Utrecht"))
    app = make_app(shop_svc)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        app.sync_now()
        await settle(pilot)
        assert app.sync_status.state == views.OFFLINE
        assert "Sync: Offline since" in footer(app)
        assert app.is_running


async def test_set_up_list_and_revoke_from_the_sync_tab(shop_svc: Any, server: LiveServer) -> None:
    app = make_app(shop_svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_sync_tab(pilot)
        await pilot.click("#sync-setup")
        await settle(pilot)
        await type_into(pilot, "#url", server.url)
        await type_into(pilot, "#name", "Shop laptop")
        await type_into(pilot, "#email", server.email)
        await type_into(pilot, "#password", server.password)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.sync_status.state == views.SYNCED
        text = screen_text(app)
        assert "Device: Shop laptop (series code" in text
        assert "Sync: Synced just now" in footer(app)
        await pilot.click("#sync-list-devices")
        await settle(pilot)
        table = app.screen.query_one("#sync-devices", DataTable)
        assert table.row_count == 1
        assert "Shop laptop (this one)" in screen_text(app)
        await pilot.click("#sync-revoke")
        await settle(pilot)
        assert "Revoke Shop laptop" in screen_text(app)
        await type_into(pilot, "#email", server.email)
        await type_into(pilot, "#password", "wrong password")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Revoke Shop laptop" in screen_text(app)  # refused: the dialog stays
        await type_into(pilot, "#password", server.password)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "revoked" in screen_text(app)
        app.sync_now()
        await settle(pilot)
        assert app.sync_status.state == views.ATTENTION
        assert app.sync_status.revoked
        assert "Sync: Needs attention" in footer(app)


async def test_a_conflict_is_shown_and_settled_from_the_sync_tab(
    tmp_path: Path, server: LiveServer
) -> None:
    with conflicted_store(tmp_path, server) as desktop:
        app = make_app(desktop)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.sync_status.state == views.ATTENTION
            assert "Sync: Needs attention: 1 conflict" in footer(app)
            await open_sync_tab(pilot)
            table = app.screen.query_one("#sync-conflict-table", DataTable)
            assert table.row_count == 1
            text = screen_text(app)
            assert "product Tea" in text
            assert "11.00 / 12.00" in text or "12.00 / 11.00" in text
            await pilot.click("#sync-settle")
            await settle(pilot)
            assert "Tea: unit_price" in screen_text(app)
            labels = [str(o.prompt) for o in app.screen.query_one("OptionList").options]
            await pilot.press(*["down"] * next(i for i, t in enumerate(labels) if "11.00" in t))
            await pilot.press("enter")
            await settle(pilot)
            assert desktop.sync.conflicts() == ()
            assert app.sync_status.conflicts == 0
            assert table.row_count == 0
            assert [p.unit_price for p in desktop.products.list().items] == [Decimal("11.00")]
            await app.run_action("sync_now")  # the choice goes up
            await settle(pilot)
            assert app.sync_status.state == views.SYNCED


async def test_a_run_that_raises_is_shown_not_a_crash(
    shop_svc: Any, server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    link(shop_svc, server)

    def broken(progress: Any = None) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(shop_svc.sync, "run", broken)  # a failure the engine did not record
    app = make_app(shop_svc)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        app.sync_now()
        await settle(pilot)
        assert app.is_running
        assert app.sync_status.state == views.ATTENTION
        assert "disk full" in app.sync_status.message
        assert "Sync: needs attention" in footer(app)
