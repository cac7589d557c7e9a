"""DESIGN.md §1 layering, enforced by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def lint_imports_exe() -> str:
    exe = Path(sys.executable).parent / "lint-imports"
    return str(exe) if exe.exists() else (shutil.which("lint-imports") or "lint-imports")


def test_import_contracts_are_kept() -> None:
    out = subprocess.run(
        [lint_imports_exe(), "--no-cache"], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "BROKEN" not in out.stdout
    assert "KEPT" in out.stdout


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    # Copy the package, plant a forbidden import in the domain, and expect a broken contract.
    for name in ["invoicer", "ui_tui", "ui_qt"]:
        shutil.copytree(
            REPO_ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "invoicer" / "domain" / "leak.py").write_text("import invoicer.store\n")
    out = subprocess.run(
        [lint_imports_exe(), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode != 0
    assert "BROKEN" in out.stdout
