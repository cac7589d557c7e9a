"""Keys have ids and one meaning; the palette offers what the current screen allows."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Static

from tests.tui.conftest import fill_fixed_data, make_app, screen_text, settle
from ui_tui.actions import ACTIONS, bindings_for
from ui_tui.commands import InvoicerCommands
from ui_tui.screens.help import HelpScreen
from ui_tui.screens.invoice import InvoiceScreen

SCOPES = sorted({scope for action in ACTIONS for scope in action.scopes})


def test_every_binding_has_a_unique_id() -> None:
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    for scope in SCOPES:
        assert all(binding.id for binding in bindings_for(scope))


def test_a_key_means_one_thing_everywhere() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    for action in ACTIONS:
        for key in filter(None, action.keys.split(",")):
            meanings[key].add(action.action.split("(")[0])
    # Delete removes the highlighted thing: a record from a list, a line from a draft, a
    # secret from the keyring.
    shared = {"delete": {"archive", "remove_line", "delete_secret"}}
    for key, actions in meanings.items():
        if key in shared:
            assert actions == shared[key], key
        else:
            assert len(actions) == 1, key
    app_keys = {k for a in ACTIONS if "app" in a.scopes for k in a.keys.split(",") if k}
    screen_keys = {k for a in ACTIONS if "app" not in a.scopes for k in a.keys.split(",") if k}
    assert app_keys.isdisjoint(screen_keys)


async def palette_titles(screen: Any, query: str) -> list[str]:
    provider = InvoicerCommands(screen)
    return [str(hit.text) async for hit in provider.search(query)]


async def test_palette_offers_issue_only_on_a_draft(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(data["draft"].id))
        await settle(pilot)
        assert any(t.startswith("Issue") for t in await palette_titles(app.screen, "issue"))
        assert not any(t.startswith("Payment") for t in await palette_titles(app.screen, "pay"))
        await pilot.press("escape")
        await app.push_screen(InvoiceScreen(data["part"].id))
        await settle(pilot)
        titles = await palette_titles(app.screen, "issue")
        assert not any(t.startswith("Issue ") or t == "Issue" for t in titles)
        assert any(t.startswith("Payment") for t in await palette_titles(app.screen, "pay"))
        # App-wide actions are always there.
        assert any("Go to Customers" in t for t in await palette_titles(app.screen, "custom"))


async def test_palette_runs_the_action(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Go to Products")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "products"
        assert "Handbook (print)" in screen_text(app)


async def test_help_lists_the_keys_and_closes(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Go to Customers" in text
        assert "Save the changes" in text
        app.screen.query_one(VerticalScroll).scroll_end(animate=False)
        await pilot.pause()
        text = screen_text(app)  # the last groups, further down
        assert "Import bank statement" in text
        assert "Delete secret" in text
        assert "Recompute the figures" in text
        console = Console(width=76, record=True, file=io.StringIO())
        console.print(app.screen.query_one(Static).content)
        help_text = console.export_text()  # the whole list, also what is scrolled past
        for title in ("Give the draft its number", "Card link", "Check transaction"):
            assert title in help_text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_sections_switch_with_function_keys(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, mode in [
            ("f3", "invoices"),
            ("f4", "customers"),
            ("f5", "products"),
            ("f6", "reports"),
            ("f7", "settings"),
            ("f2", "dashboard"),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode


async def test_palette_offers_the_payment_actions_where_they_apply(
    svc: Any, tmp_path: Path
) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        listed = await palette_titles(app.screen, "statement")
        assert "Import bank statement  (b)" in listed
        await app.push_screen(InvoiceScreen(data["open"].id))
        await settle(pilot)
        for query, title in [
            ("card link", "Card link  (l)"),
            ("crypto", "Crypto request  (r)"),
            ("transaction", "Check transaction  (t)"),
            ("refresh card", "Refresh card payments  (u)"),
            ("e-invoice", "E-invoice  (x)"),
        ]:
            assert title in await palette_titles(app.screen, query), query
        await pilot.press("escape")
        await app.push_screen(InvoiceScreen(data["paid"].id))
        await settle(pilot)
        for query in ("card link", "crypto request", "check transaction"):
            assert not await palette_titles(app.screen, query), query
