"""Importing the CLI must not drag in the heavy libraries (DESIGN.md §1)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = ["textual", "PySide6", "fpdf", "zeep", "web3", "stripe", "sqlalchemy", "facturx"]


def loaded_modules(code: str) -> set[str]:
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        "import invoicer.cli",
        "from invoicer.cli import cli; cli.main(['--help'], standalone_mode=False)",
        "import invoicer.domain.money, invoicer.domain.totals",
    ],
)
def test_no_heavy_module_is_imported(code: str) -> None:
    modules = loaded_modules(code)
    leaked = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert leaked == []


def test_detector_sees_a_heavy_import() -> None:
    # Guards the guard: the helper really reports what was imported.
    assert "sqlalchemy" in loaded_modules("import sqlalchemy")
