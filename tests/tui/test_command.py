"""`invoicer tui` opens the app on the configured database, or on a throwaway demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from invoicer.cli import cli


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the terminal loop: record what the app would have shown."""
    from ui_tui.app import InvoicerApp

    seen: list[dict[str, Any]] = []

    def fake_run(self: InvoicerApp, *args: Any, **kwargs: Any) -> None:
        svc = self.services
        seen.append(
            {
                "set_up": svc.shop.is_set_up(),
                "invoices": svc.invoices.list(limit=1).total,
            }
        )

    monkeypatch.setattr(InvoicerApp, "run", fake_run)
    return seen


def test_tui_is_listed_without_importing_textual() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "tui" in result.output


def test_tui_opens_the_configured_database(runs: list[dict[str, Any]], tmp_path: Path) -> None:
    db = tmp_path / "mine.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(db), "tui"])
    assert result.exit_code == 0, result.output
    assert db.exists()
    assert runs == [{"set_up": False, "invoices": 0}]


def test_tui_reads_invoicer_db(
    runs: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("INVOICER_DB", str(db))
    result = CliRunner().invoke(cli, ["tui"])
    assert result.exit_code == 0, result.output
    assert db.exists()


def test_tui_demo_uses_a_filled_throwaway_database(
    runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(mine), "tui", "--demo", "--invoices", "20"])
    assert result.exit_code == 0, result.output
    assert runs[0]["set_up"] is True
    assert runs[0]["invoices"] >= 20
    assert not mine.exists()  # the user's database is left alone


def test_tui_command_module_is_light() -> None:
    # `invoicer tui --help` must not pay for Textual; the app is imported when it runs.
    from tests.test_import_hygiene import loaded_modules

    modules = loaded_modules(
        "from invoicer.cli import cli; cli.main(['tui', '--help'], standalone_mode=False)"
    )
    assert "ui_tui.command" in modules
    assert not any(m.split(".")[0] == "textual" for m in modules)
