"""Start the desktop app: the QApplication, the crash handler and the main window.

The services (database already open) are handed in: nothing here opens a database.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from invoicer.services.app import Services


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # High-DPI: Qt 6 scales by default; keep fractional factors as the screen reports them.
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QCoreApplication.setOrganizationName("Invoicer")
    QCoreApplication.setApplicationName("Invoicer")
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName("Invoicer")
    return app


def run(svc: Services, smoke: bool = False) -> int:
    """Show the main window and run the event loop; `smoke` quits once it is on screen."""
    from PySide6.QtCore import QThreadPool

    from ui_qt.crash import CrashHandler
    from ui_qt.windows.main_window import MainWindow

    app = make_application()
    window = MainWindow(svc)
    CrashHandler(window).install()
    window.show()
    window.start()
    if smoke:
        # Paint once and stop without entering exec(): bench/gui_bench.py times the process
        # from its start to this line, and tests can call this in their own QApplication.
        app.processEvents()
        print("window shown", flush=True)  # noqa: T201
        QThreadPool.globalInstance().waitForDone()
        app.processEvents()
        return 0
    code = app.exec()
    # Workers may still hold a database connection: let them finish before it closes.
    QThreadPool.globalInstance().waitForDone()
    return code
