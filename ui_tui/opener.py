"""Open a file (a rendered PDF) with the desktop's default viewer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_file(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        os.startfile(path)  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise OSError(f"No viewer found ({opener} is missing); the file is at {path}")
    subprocess.Popen(
        [opener, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
