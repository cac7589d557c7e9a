"""The skeleton: version, help, packaging metadata."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from click.testing import CliRunner

import invoicer
from invoicer.cli import cli
from tests.conftest import REPO_ROOT


def test_version_matches_pyproject() -> None:
    meta = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert invoicer.__version__ == meta["project"]["version"]


def test_version_option_prints_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"invoicer, version {invoicer.__version__}"


def test_help_lists_commands_and_db_option() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "--db" in result.output
    assert "Usage: cli" in result.output or "Usage: invoicer" in result.output


def test_module_entry_point_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "invoicer", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
    )
    assert invoicer.__version__ in out.stdout
    assert out.stderr == ""


def test_unknown_command_fails_cleanly() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "invoicer", "no-such-command"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert out.returncode == 2
    assert "No such command" in out.stderr
    assert "Traceback" not in out.stderr
