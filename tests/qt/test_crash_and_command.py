"""The crash handler's report, and `invoicer gui` opening the configured or demo database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PySide6.QtWidgets import QApplication, QMessageBox

from invoicer.cli import cli
from invoicer.domain.errors import FileDamaged
from invoicer.services.app import open_services
from invoicer.services.commands import ShopProfileChanges
from ui_qt.crash import CrashHandler, log_dir, scrub


def raise_and_catch() -> tuple[type[BaseException], BaseException, Any]:
    try:
        api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"  # noqa: F841  (in the traceback's locals)
        raise RuntimeError(
            "payment failed for DE89370400440532013000 with token=abc123secret "
            "and key sk_live_4eC39HqLyjWDarjtT1zdp7dc"
        )
    except RuntimeError:
        info = sys.exc_info()
        assert info[0] is not None
        assert info[1] is not None
        return info[0], info[1], info[2]


def test_crash_report_dialog_and_file_without_secrets(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    handler = CrashHandler()
    handler.install()
    assert sys.excepthook is handler
    sys.excepthook(*raise_and_catch())
    assert handler.last_path is not None
    assert handler.last_path.parent == log_dir()
    assert str(log_dir()).startswith(str(Path.home()))  # the test's own HOME, not the real one
    written = handler.last_path.read_text(encoding="utf-8")
    assert "RuntimeError: payment failed" in written
    assert "Traceback" in written
    for secret in ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "DE89370400440532013000", "abc123secret"):
        assert secret not in written
    assert isinstance(handler.dialog, QMessageBox)
    assert handler.dialog.isVisible()
    assert handler.dialog.detailedText() == written
    handler.dialog.close()


def test_a_damaged_file_found_while_the_app_runs_is_named_not_called_a_crash(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handler = CrashHandler()
    error = FileDamaged("/x/shop.sqlite is damaged: ... The newest good backup is /x/b.sqlite")

    handler(FileDamaged, error, None)

    assert handler.dialog is not None
    assert handler.dialog.windowTitle() == "The database file is damaged"
    assert handler.dialog.text() == str(error)
    handler.dialog.close()


def test_scrub_keeps_ordinary_text() -> None:
    assert scrub("invoice INV-2026-000001 for 12.50 EUR") == "invoice INV-2026-000001 for 12.50 EUR"
    assert scrub("password: hunter2") == "password: ***"


@pytest.fixture
def keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    """run() installs the crash handler; later tests need pytest-qt's hook back."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


@pytest.mark.usefixtures("qapp", "keep_excepthook")
def test_gui_command_opens_the_configured_database(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    with open_services(db) as svc:
        svc.shop.save(
            ShopProfileChanges(
                legal_name="Configured Shop",
                street="A 1",
                postcode="1010",
                city="Wien",
                country="AT",
                currency="EUR",
                vat_number="ATU13585627",
            )
        )
    result = CliRunner().invoke(cli, ["--db", str(db), "gui", "--smoke"])
    assert result.exit_code == 0, result.output
    assert "window shown" in result.output
    # Other tests' closed main windows may still exist in this process: look for ours.
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    ours = [w for w in windows if str(db) in w.statusBar().currentMessage()]
    assert len(ours) == 1, [w.statusBar().currentMessage() for w in windows]
    ours[0].close()


@pytest.mark.usefixtures("qapp", "keep_excepthook")
def test_gui_demo_uses_a_throwaway_database(tmp_path: Path) -> None:
    configured = tmp_path / "real.sqlite3"
    result = CliRunner().invoke(
        cli, ["--db", str(configured), "gui", "--demo", "--invoices", "5", "--smoke"]
    )
    assert result.exit_code == 0, result.output
    assert not configured.exists()  # the user's database is never touched
    demo_path = Path(result.output.split("Demo database: ")[1].splitlines()[0])
    with open_services(demo_path) as svc:
        assert svc.shop.is_set_up()
        assert svc.invoices.list().total >= 5
    for window in QApplication.topLevelWidgets():
        window.close()


def test_gui_without_a_display_says_so_instead_of_aborting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    db = tmp_path / "shop.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(db), "gui"])
    assert result.exit_code == 1
    assert "No display found" in result.output
    assert not db.exists()


def test_app_icon_loads_from_resources(qapp: Any) -> None:
    from ui_qt.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).isNull()
