"""`invoicer tui` draws its first screen from a first look into the file and opens the
services after it; a new database gets the services (and the set-up form) first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.services.app import open_services
from invoicer.store.database import DatabaseRefused
from tests.tui.conftest import TODAY, fill_fixed_data, screen_text, settle
from ui_tui.background_services import BackgroundServices
from ui_tui.launch import tui_app


@pytest.fixture
def filled_db(tmp_path: Path) -> tuple[Path, Any]:
    path = tmp_path / "shop.sqlite"
    with open_services(path, today=lambda: TODAY) as svc:
        fill_fixed_data(svc)
        return path, svc.reports.dashboard()


def replace_the_file(path: Path) -> None:
    """Something else takes the database's place after the first look (WAL files and all)."""
    for leftover in path.parent.glob(path.name + "-*"):
        leftover.unlink()
    path.write_text("replaced by something else " * 10)


async def test_the_dashboard_is_drawn_before_the_services_open(
    filled_db: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, dashboard = filled_db
    shown_when_opening: list[str] = []
    real_start = BackgroundServices.start

    def start(self: BackgroundServices) -> None:
        shown_when_opening.append(screen_text(app))
        real_start(self)

    monkeypatch.setattr(BackgroundServices, "start", start)
    with tui_app(path, today=TODAY) as app:
        background = app._services
        assert isinstance(background, BackgroundServices)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert background.ready  # opened once the first screen was shown
            # The first screen already had the figures and the latest invoices:
            first = shown_when_opening[0]
            assert f"{dashboard.revenue_30d:,.2f} EUR" in first
            assert f"{dashboard.overdue_total:,.2f} EUR" in first
            assert all(i.number in first for i in dashboard.latest)
            assert "Beispiel" in first  # the shop's name, from the same look
            # Then everything else works on the services, as always.
            await pilot.press("f3")
            await settle(pilot)
            assert "INV-2026-000004" in screen_text(app)
            await pilot.press("f2", "ctrl+r")
            await settle(pilot)
            assert f"{dashboard.open_total:,.2f} EUR" in screen_text(app)
    assert background._services is None  # closed on the way out


async def test_a_new_database_opens_the_services_and_the_setup_form(tmp_path: Path) -> None:
    with tui_app(tmp_path / "new.sqlite", today=TODAY) as app:
        assert not isinstance(app._services, BackgroundServices)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert type(app.screen).__name__ == "SetupScreen"


@pytest.mark.parametrize("keys", [(), ("f3", "f4", "f6")])  # each screen asks the services
async def test_a_file_swapped_before_the_services_open_ends_the_app(
    filled_db: tuple[Path, Any], keys: tuple[str, ...]
) -> None:
    path, _ = filled_db
    refused = pytest.raises(DatabaseRefused, match="not an Invoicer database")
    with refused, tui_app(path, today=TODAY) as app:
        replace_the_file(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*keys)
            await settle(pilot)
            await pilot.pause(0.2)
        # run_test re-raises what a handler let through (a traceback for the user): nothing
        # did, and the app ended with the error code; tui_app raises the error for the CLI.
        assert app.return_code == 1


def test_the_cli_shows_the_opening_error_as_a_message(
    filled_db: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui_tui.app import InvoicerApp

    path, _ = filled_db

    def swap_then_run(self: InvoicerApp, *args: Any, **kwargs: Any) -> None:
        replace_the_file(path)
        self.services  # noqa: B018 - what the first key press would do

    monkeypatch.setattr(InvoicerApp, "run", swap_then_run)
    assert run(cli, ["--db", str(path), "tui"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ")
    assert "is not an Invoicer database" in err
    assert "Traceback" not in err
