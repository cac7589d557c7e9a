"""scripts/tui-smoke: the real `invoicer tui` in tmux, typed at and read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_tui_smoke_script_passes_in_tmux() -> None:
    assert shutil.which("tmux"), "tmux is needed (scripts/bootstrap installs it)"
    out = subprocess.run(
        [str(REPO_ROOT / "scripts" / "tui-smoke")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "INVOICER_BIN": str(Path(sys.executable).parent / "invoicer")},
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "all checks passed" in out.stdout
