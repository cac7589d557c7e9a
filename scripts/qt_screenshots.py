"""Screenshots of each main window of the desktop app, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python scripts/qt_screenshots.py docs/screenshots

Runs on a new demo database. Each window is captured with QWidget.grab(); under Xvfb the
whole X screen is captured too (screen.grabWindow(0)), as a person would see it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from invoicer.services.app import Services, open_services
from invoicer.services.commands import CryptoRequest, NewDraft, NewLine, SettingsChanges
from invoicer.services.demo import fill_demo
from invoicer.services.settings import SettingsService
from ui_qt.app import make_application
from ui_qt.dialogs.invoice_editor import InvoiceEditor
from ui_qt.dialogs.link_dialog import LinkDialog
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


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#26282b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#2a2c30",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#303236",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#4a8fd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9ca0",
        QPalette.ColorRole.ToolTipBase: "#303236",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def payment_screens(app: QApplication, svc: Services, window: MainWindow, out: Path) -> None:
    """An invoice offering a crypto request, and a bank statement's import result."""
    from invoicer.services.payments_bank import import_statement
    from invoicer.services.payments_crypto import request_payment
    from ui_qt.dialogs.statement_result import StatementResultDialog

    open_invoices = [
        *svc.invoices.list(status="open", limit=1).items,
        *svc.invoices.list(status="overdue", limit=2).items,
    ]
    first = open_invoices[0]
    request = request_payment(svc, first.id, CryptoRequest(asset="ETH", rate="3120.50"))
    editor = InvoiceEditor(svc, first.id, window)
    editor.resize(980, 700)
    editor.move(40, 40)
    editor.show()
    settle(app)
    save(editor, out, "invoice-payments")
    # What "Create crypto payment request…" shows once the request is made.
    link = LinkDialog(
        f"Crypto payment request for {first.number}",
        str(request.details["text"]),
        request.url,
        editor,
    )
    link.show()
    settle(app)
    save(link, out, "payment-request")
    link.close()
    editor.close()

    rows = ["date;amount;currency;name;description"]
    for invoice in open_invoices[1:]:
        full = svc.invoices.get(invoice.id)
        rows.append(f"2026-03-20;{full.balance};{full.currency};{full.customer_name};{full.number}")
    rows.append("2026-03-20;99.99;EUR;Somebody;thanks for everything")
    report = import_statement(svc, "\n".join(rows).encode())
    result = StatementResultDialog(report, window)
    result.show()
    settle(app)
    save(result, out, "statement-import")
    result.close()


def main() -> None:
    # The demo's settings go to a throwaway config folder: the user's own stay untouched.
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()
    SettingsService().set(
        SettingsChanges(
            receiving_address="0x52908400098527886E0F7030069857D2E4169EE7",
            rpc_url="https://eth.example.net",
            crypto_assets="ETH, EURC:0x1aBaEA1f7C830bD89Acc67eC4af516284b1bC33c:6:EUR",
            confirmations="12",
        )
    )
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
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    for product in svc.products.list(limit=3).items:
        svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity=2))
    editor = InvoiceEditor(svc, draft.id, window)
    editor.resize(980, 640)
    editor.show()
    settle(app)
    save(editor, out, "invoice-draft")
    editor.close()

    payment_screens(app, svc, window, out)

    preview = PdfPreview(svc, svc.invoices.get(issued.id), window)
    preview.resize(760, 900)
    preview.show()
    settle(app, 60)
    wait(app, 2.0)
    save(preview, out, "pdf-preview")
    preview.close()

    # Dark mode: the app draws with the palette only, so a dark system palette is followed.
    # Here a dark Fusion palette stands in for a desktop's dark theme.
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    window.tabs.setCurrentIndex(MainWindow.TAB_DASHBOARD)
    settle(app)
    save(window, out, "dashboard-dark")
    app.setPalette(app.style().standardPalette())

    settings = SettingsDialog(svc, window)
    settings.show()
    settle(app)
    save(settings, out, "settings")
    settings.tabs.setCurrentIndex(settings.tabs.count() - 2)  # Payments
    settle(app)
    save(settings, out, "settings-payments")
    settings.close()
    window.close()
    svc.close()
    empty.close()


if __name__ == "__main__":
    main()
