"""Uncaught exceptions become a readable report: a dialog and a file in the log dir.

Secrets never go into the report: environment values are left out and anything that looks
like an API key, token, password or IBAN is masked.
"""

from __future__ import annotations

import datetime as dt
import platform
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from invoicer.domain.errors import FileDamaged

_SECRET = re.compile(
    r"(?i)(sk|pk|rk|whsec)_(live|test)_[0-9a-z]+"  # Stripe-style keys
    r"|\b0x[0-9a-f]{64}\b"  # private keys
    r"|((password|passwd|secret|token|api[_-]?key)\s*[=:]\s*)\S+"
    r"|\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b"  # IBAN
)


def scrub(text: str) -> str:
    def mask(match: re.Match[str]) -> str:
        prefix = match.group(3) or ""  # keep "password: ", mask the value
        return prefix + "***"

    return _SECRET.sub(mask, text)


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("invoicer", appauthor=False))


def build_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    from invoicer import __version__

    lines = [
        f"Invoicer {__version__} crash report",
        f"Time: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return scrub("\n".join(line.rstrip("\n") for line in lines))


def write_report(report: str) -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"crash-{stamp}.log"
    path.write_text(report, encoding="utf-8")
    return path


class CrashHandler:
    """sys.excepthook: keep the app alive, tell the user, keep the report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.last_report: str | None = None
        self.last_path: Path | None = None
        self.dialog: QMessageBox | None = None

    def install(self) -> None:
        sys.excepthook = self

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        report = build_report(exc_type, exc, tb)
        self.last_report = report
        self.last_path = write_report(report)
        if QApplication.instance() is None:
            sys.stderr.write(report + "\n")
            return
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Critical)
        if isinstance(exc, FileDamaged):
            # Not a bug: the file is damaged; the message says where the newest backup is.
            box.setWindowTitle(box.tr("The database file is damaged"))
            box.setText(str(exc))
        else:
            box.setWindowTitle(box.tr("Invoicer hit a problem"))
            box.setText(
                box.tr(
                    "Something went wrong and the last action may not have finished.\n"
                    "A report was saved to:\n{path}"
                ).format(path=self.last_path)
            )
        box.setDetailedText(report)
        self.dialog = box
        box.open()  # not exec(): an error must never block the event loop
