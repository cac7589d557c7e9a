"""Importing the CLI must not drag in the heavy libraries (DESIGN.md §1)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from invoicer.services.commands import ShopProfileChanges
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


def test_the_tuis_first_screen_needs_no_sqlalchemy(tmp_path: Path) -> None:
    # `invoicer tui` draws the dashboard before SQLAlchemy's ~0.3 s import (ui_tui/launch.py).
    from invoicer.services.app import open_services
    from tests.services.conftest import SHOP

    db = tmp_path / "shop.sqlite"
    with open_services(db) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
    code = (
        "from pathlib import Path\n"
        "import ui_tui.launch, ui_tui.screens.dashboard\n"
        "from invoicer.services.first_look import first_look\n"
        "from invoicer.services.local import local_context\n"
        f"assert first_look(Path({str(db)!r}), local_context().clock).dashboard.currency == 'EUR'"
    )
    modules = loaded_modules(code)
    assert "ui_tui.launch" in modules
    assert "invoicer.services.dashboard" in modules
    assert not {"sqlalchemy", "alembic"} & {m.split(".")[0] for m in modules}
