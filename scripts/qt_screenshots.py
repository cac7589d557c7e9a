"""Screenshots of each main window of the desktop app, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python scripts/qt_screenshots.py docs/screenshots

Runs on a new demo database. Each window is captured with QWidget.grab(); under Xvfb the
whole X screen is captured too (screen.grabWindow(0)), as a person would see it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from invoicer.services.app import open_services
from invoicer.services.demo import fill_demo
from ui_qt.app import make_application
from ui_qt.dialogs.invoice_editor import InvoiceEditor
from ui_qt.dialogs.pdf_preview import PdfPreview
from ui_qt.dialogs.settings_dialog import SettingsDialog
from ui_qt.dialogs.setup_wizard import SetupWizard
from ui_qt.windows.main_window import MainWindow


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        QThreadPool.globalInstance().waitForDone()
        app.processEvents()


def wait(app: QApplication, seconds: float) -> None:
    """QPdfView renders pages in its own thread: give it time, keep the loop turning."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.grab().save(str(out / f"{name}.png"))
    print("saved", out / f"{name}.png")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    folder = Path(tempfile.mkdtemp())
    empty = open_services(folder / "empty.sqlite3")
    wizard = SetupWizard(empty)
    wizard.fields["legal_name"].setText("Muster Handels GmbH")
    wizard.fields["street"].setText("Hauptstraße 1")
    wizard.fields["postcode"].setText("10115")
    wizard.fields["city"].setText("Berlin")
    wizard.fields["country"].setText("DE")
    wizard.fields["vat_number"].setText("DE136695976")
    wizard.fields["email"].setText("hallo@muster-handel.de")
    wizard.resize(640, 520)
    wizard.show()
    settle(app)
    save(wizard, out, "setup-wizard")
    wizard.close()

    svc = open_services(folder / "demo.sqlite3")
    fill_demo(svc, invoices=200, seed=1)
    window = MainWindow(svc)
    window.resize(1360, 860)
    window.move(20, 20)
    window.show()
    window.start()
    settle(app)
    save(window, out, "dashboard")
    screen = app.primaryScreen()
    if app.platformName() == "xcb":
        screen.grabWindow(0).save(str(out / "xvfb-screen.png"))
        print("saved", out / "xvfb-screen.png")
    for index, name in [(1, "invoices"), (2, "customers"), (3, "products")]:
        window.tabs.setCurrentIndex(index)
        settle(app)
        save(window, out, name)
    window.tabs.setCurrentIndex(MainWindow.TAB_REPORTS)
    window.reports.run()
    settle(app)
    save(window, out, "reports")

    issued = next(s for s in svc.invoices.list(status="partially_paid").items)
    editor = InvoiceEditor(svc, issued.id, window)
    editor.resize(980, 640)
    editor.show()
    settle(app)
    save(editor, out, "invoice")
    editor.close()

    shop = svc.shop.get()
    assert shop is not None
    customer = next(c for c in svc.customers.list().items if c.country == shop.country)
    draft = svc.invoices.create_draft(customer.id)
    for product in svc.products.list(limit=3).items:
        svc.invoices.add_line(draft.id, product_id=product.id, quantity=2)
    editor = InvoiceEditor(svc, draft.id, window)
    editor.resize(980, 640)
    editor.show()
    settle(app)
    save(editor, out, "invoice-draft")
    editor.close()

    preview = PdfPreview(svc, svc.invoices.get(issued.id), window)
    preview.resize(760, 900)
    preview.show()
    settle(app, 60)
    wait(app, 2.0)
    save(preview, out, "pdf-preview")
    preview.close()

    settings = SettingsDialog(svc, window)
    settings.show()
    settle(app)
    save(settings, out, "settings")
    settings.close()
    window.close()
    svc.close()
    empty.close()


if __name__ == "__main__":
    main()
