"""The main window: navigation tabs, menu bar, shortcuts. Pages and dialogs do the work."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from invoicer.domain.errors import InvoicerError
from invoicer.services import labels
from invoicer.services.app import Services
from invoicer.services.commands import NewDraft
from invoicer.services.views import Customer, InvoiceSummary, Page, Product
from ui_qt import format as fmt
from ui_qt.dialogs.errors import show_error, show_info
from ui_qt.models.customer_table_model import COL_NAME as CUSTOMER_NAME
from ui_qt.models.customer_table_model import CustomerTableModel
from ui_qt.models.invoice_table_model import COL_CUSTOMER, InvoiceTableModel
from ui_qt.models.product_table_model import ProductTableModel
from ui_qt.sync_controller import AFTER_CHANGE_MS, EVERY_MS, SyncController
from ui_qt.widgets.naming import named
from ui_qt.widgets.sync_indicator import SyncIndicator
from ui_qt.windows.dashboard_page import DashboardPage
from ui_qt.windows.list_page import ListPage
from ui_qt.windows.reports_page import ReportsPage
from ui_qt.workers import Worker, run_in_thread

ARCHIVE_FILTERS: list[tuple[str, Any]] = [("Active", False), ("Including archived", True)]
INVOICE_FILTERS: list[tuple[str, Any]] = [
    ("All documents", None),
    ("Drafts", "draft"),
    ("Open", "open"),
    ("Overdue", "overdue"),
    (fmt.status_label("partially_paid"), "partially_paid"),
    ("Paid", "paid"),
    ("Credited", "credited"),
]


# The Payments menu's actions, also buttons on the Invoices page; one runs at a time.
PAYMENT_ACTIONS = ("import_statement", "refresh_card_payments", "scan_crypto_payments")


class MainWindow(QMainWindow):
    TAB_DASHBOARD, TAB_INVOICES, TAB_CUSTOMERS, TAB_PRODUCTS, TAB_REPORTS = range(5)

    def __init__(
        self,
        svc: Services,
        parent: QWidget | None = None,
        *,
        sync_every_ms: int | None = EVERY_MS,
        sync_after_change_ms: int | None = AFTER_CHANGE_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.svc = svc
        # Background sync while linked; None: never by itself (tests run it when they want).
        self.sync = SyncController(
            svc, self, every_ms=sync_every_ms, after_change_ms=sync_after_change_ms
        )
        self.dialog: QDialog | None = None  # the last dialog opened (tests drive it)
        self.worker: Worker | None = None  # the running payments job (Stripe, statement)
        self.info_box: QMessageBox | None = None  # its outcome
        self.setWindowTitle(self.tr("Invoicer"))
        self.resize(1200, 780)

        self.dashboard = DashboardPage(svc)
        self.dashboard.open_invoice.connect(self.open_invoice)
        self.invoices = ListPage(
            InvoiceTableModel(),
            self._fetch_invoices,
            self.tr("&New invoice"),
            INVOICE_FILTERS,
            stretch_column=COL_CUSTOMER,
        )
        self.invoices.activated.connect(lambda inv: self.open_invoice(inv.id))
        self.invoices.new_requested.connect(self.new_invoice)
        self.customers = ListPage(
            CustomerTableModel(),
            self._fetch_customers,
            self.tr("New c&ustomer"),
            ARCHIVE_FILTERS,
            stretch_column=CUSTOMER_NAME,
        )
        self.customers.activated.connect(self.edit_customer)
        self.customers.new_requested.connect(self.new_customer)
        self.products = ListPage(
            ProductTableModel(), self._fetch_products, self.tr("New &product"), ARCHIVE_FILTERS
        )
        self.products.activated.connect(self.edit_product)
        self.products.new_requested.connect(self.new_product)
        self.reports = ReportsPage(svc)
        from ui_qt.windows.quotes_page import QuotesPage

        self.quotes = QuotesPage(svc)
        self.quotes.changed.connect(self.sync.changed)

        self.tabs = named(QTabWidget(), "tabs")
        self.tabs.setDocumentMode(True)
        for page, title in [
            (self.dashboard, self.tr("Dashboard")),
            (self.invoices, self.tr("Invoices")),
            (self.customers, self.tr("Customers")),
            (self.products, self.tr("Products")),
            (self.reports, self.tr("Reports")),
            (self.quotes, self.tr("Quotes")),
        ]:
            self.tabs.addTab(page, title)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()
        self.statusBar().showMessage(str(svc.path))
        self.sync_indicator = SyncIndicator()
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self.sync.status_changed.connect(self.sync_indicator.show_status)
        self.sync_indicator.clicked.connect(self.open_sync_settings)
        self.sync.finished.connect(self._synced)
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- start-up -----------------------------------------------------------------------
    def start(self) -> None:
        """After show(): first-run wizard, or the dashboard's data (in a worker); sync."""
        self._use_shop_locale()
        self.sync.start()
        if not self.svc.shop.is_set_up():
            self.run_setup_wizard()
        else:
            self.dashboard.refresh()
            self.run_recurring()

    def run_recurring(self) -> None:
        """No cron: each start makes the recurring invoices due since the last (a worker)."""
        from invoicer.services.recurring.catch_up import run_due

        self.recurring_report: Any = None
        self.recurring_worker = run_in_thread(
            lambda: run_due(self.svc), self._recurring_done, self._recurring_failed
        )

    def _recurring_done(self, report: Any) -> None:
        self.recurring_report = report
        if not report:
            return  # nothing was due: nothing to say
        self.sync.changed()
        self.refresh()
        self.statusBar().showMessage(report.summary())
        self.statusBar().setToolTip("\n".join(report.sentences()))

    def _recurring_failed(self, exc: BaseException) -> None:
        from invoicer.services.errors import error_lines

        self.statusBar().showMessage(
            self.tr("Recurring invoices not made: {0}").format(" ".join(error_lines(exc)))
        )

    def run_setup_wizard(self) -> None:
        from ui_qt.dialogs.setup_wizard import SetupWizard

        wizard = SetupWizard(self.svc, self)
        wizard.accepted.connect(self._use_shop_locale)
        wizard.accepted.connect(self.dashboard.refresh)
        self.dialog = wizard
        wizard.open()

    # -- menus and shortcuts ------------------------------------------------------------
    def _action(self, name: str, text: str, slot: Any, *shortcuts: Any) -> QAction:
        action = named(QAction(text, self), name)
        # The first shortcut is the one the menu shows; a standard key that this platform
        # leaves empty (Preferences outside macOS) is dropped.
        keys = [key for key in map(QKeySequence, shortcuts) if not key.isEmpty()]
        if keys:
            action.setShortcuts(keys)
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(
            self._action(
                "new_invoice",
                self.tr("New &invoice…"),
                self.new_invoice,
                QKeySequence.StandardKey.New,
            )
        )
        file_menu.addAction(
            self._action(
                "new_customer", self.tr("New &customer…"), self.new_customer, "Ctrl+Shift+C"
            )
        )
        file_menu.addAction(
            self._action("new_product", self.tr("New &product…"), self.new_product, "Ctrl+Shift+P")
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                "settings",
                self.tr("&Settings…"),
                self.open_settings,
                "Ctrl+,",  # the README's shortcut, on every platform
                QKeySequence.StandardKey.Preferences,
            )
        )
        file_menu.addAction(
            self._action("setup", self.tr("Shop set-up &wizard…"), self.run_setup_wizard)
        )
        file_menu.addAction(self._action("sync_now", self.tr("S&ync now"), self.sync_now))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("quit", self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        )
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(
            self._action("open_selected", self.tr("&Open selected"), self.open_selected)
        )
        edit_menu.addAction(
            self._action("archive", self.tr("&Archive selected…"), self.archive_selected)
        )
        view_menu = bar.addMenu(self.tr("&View"))
        for index, name in enumerate(
            [
                self.tr("&Dashboard"),
                self.tr("&Invoices"),
                self.tr("&Customers"),
                self.tr("&Products"),
                self.tr("&Reports"),
            ]
        ):
            view_menu.addAction(
                self._action(
                    f"tab_{index}",
                    name,
                    lambda _=False, i=index: self.tabs.setCurrentIndex(i),
                    f"Ctrl+{index + 1}",
                )
            )
        view_menu.addSeparator()
        view_menu.addAction(
            self._action(
                "refresh", self.tr("Re&fresh"), self.refresh, QKeySequence.StandardKey.Refresh
            )
        )
        view_menu.addAction(
            self._action(
                "find", self.tr("&Search"), self.focus_search, QKeySequence.StandardKey.Find
            )
        )
        pay_menu = bar.addMenu(self.tr("&Payments"))
        pay_menu.addAction(
            self._action(
                "import_statement", self.tr("&Import bank statement…"), self.import_statement
            )
        )
        pay_menu.addAction(
            self._action(
                "refresh_card_payments",
                self.tr("&Refresh card payments"),
                self.refresh_card_payments,
            )
        )
        pay_menu.addAction(
            self._action(
                "scan_crypto_payments",
                self.tr("&Scan the chain for crypto payments"),
                self.scan_crypto_payments,
            )
        )
        for name in PAYMENT_ACTIONS:
            self.invoices.add_action_button(self.actions_by_name[name])
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action("about", self.tr("&About Invoicer"), self.about))

    # -- pages --------------------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, ListPage | ReportsPage) or page is self.quotes:
            page.ensure_loaded()

    def refresh(self) -> None:
        self.dashboard.refresh()
        for page in (self.invoices, self.customers, self.products):
            if page.loaded:
                page.reload()

    def open_selected(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, ListPage) and page.selected_record() is not None:
            page.activated.emit(page.selected_record())

    def archive_selected(self) -> None:
        """Archive the selected customer or product (kept for old invoices, hidden in lists)."""
        page = self.tabs.currentWidget()
        record = page.selected_record() if isinstance(page, ListPage) else None
        if not isinstance(record, Customer | Product) or record.archived:
            return
        service = self.svc.customers if isinstance(record, Customer) else self.svc.products
        answer = QMessageBox.question(
            self,
            self.tr("Archive"),
            self.tr("Archive {0}? It stays on existing invoices but leaves the lists.").format(
                record.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            service.archive(record.id)
        except InvoicerError as exc:
            show_error(self, exc)
            return
        self.sync.changed()
        assert isinstance(page, ListPage)
        page.reload()

    def focus_search(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, ListPage):
            page.search.setFocus()
            page.search.selectAll()

    def _fetch_invoices(
        self, search: str | None, status: Any, offset: int, limit: int
    ) -> Page[InvoiceSummary]:
        return self.svc.invoices.list(status=status, search=search, offset=offset, limit=limit)

    def _fetch_customers(
        self, search: str | None, archived: Any, offset: int, limit: int
    ) -> Page[Customer]:
        return self.svc.customers.list(
            search=search, include_archived=bool(archived), offset=offset, limit=limit
        )

    def _fetch_products(
        self, search: str | None, archived: Any, offset: int, limit: int
    ) -> Page[Product]:
        return self.svc.products.list(
            search=search, include_archived=bool(archived), offset=offset, limit=limit
        )

    # -- dialogs ------------------------------------------------------------------------
    def _open(self, dialog: QDialog, page: ListPage | None = None) -> QDialog:
        if page is not None:
            dialog.accepted.connect(page.reload)
        dialog.accepted.connect(self.sync.changed)  # a save: the change goes up soon
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_customer(self) -> None:
        from ui_qt.dialogs.customer_dialog import customer_dialog

        self._open(customer_dialog(self.svc, None, self), self.customers)

    def edit_customer(self, customer: Customer) -> None:
        from ui_qt.dialogs.customer_dialog import customer_dialog

        self._open(customer_dialog(self.svc, customer, self), self.customers)

    def new_product(self) -> None:
        from ui_qt.dialogs.product_dialog import product_dialog

        self._open(product_dialog(self.svc, None, self), self.products)

    def edit_product(self, product: Product) -> None:
        from ui_qt.dialogs.product_dialog import product_dialog

        self._open(product_dialog(self.svc, product, self), self.products)

    def new_invoice(self) -> None:
        """Pick a customer (the selected one on the Customers tab, else ask), make a draft."""
        from ui_qt.dialogs.customer_picker import CustomerPicker

        picker = CustomerPicker(self.svc, self.customers.selected_record(), self)
        picker.picked.connect(self._create_draft)
        self._open(picker)

    def _create_draft(self, customer_id: str) -> None:
        try:
            draft = self.svc.invoices.create_draft(NewDraft(customer_id=customer_id))
        except InvoicerError as exc:
            show_error(self, exc)
            return
        self.sync.changed()
        self.open_invoice(draft.id)

    def open_invoice(self, invoice_id: str) -> None:
        from ui_qt.dialogs.invoice_editor import InvoiceEditor

        try:
            editor = InvoiceEditor(self.svc, invoice_id, self)
        except InvoicerError as exc:
            show_error(self, exc)
            return
        editor.changed.connect(self.refresh)
        editor.changed.connect(self.sync.changed)
        self._open(editor)

    def open_settings(self) -> None:
        from ui_qt.dialogs.settings_dialog import SettingsDialog

        dialog = self._open(SettingsDialog(self.svc, self, self.sync))
        dialog.accepted.connect(self._use_shop_locale)

    # -- sync ---------------------------------------------------------------------------
    def open_sync_settings(self) -> None:
        """Settings, on its Sync tab (the status bar's sync state was clicked)."""
        from ui_qt.dialogs.settings_dialog import SettingsDialog

        self.open_settings()
        if isinstance(self.dialog, SettingsDialog):
            self.dialog.tabs.setCurrentWidget(self.dialog.sync_page)

    def sync_now(self) -> None:
        if not self.sync.linked:
            self.info_box = show_info(
                self,
                self.tr("Sync"),
                self.tr("Sync is not set up. Link this store in Settings → Sync."),
            )
            return
        self.sync.sync_now()

    def _synced(self, report: Any, exc: BaseException | None) -> None:
        if report is not None and report.applied:
            self.refresh()  # other devices' changes arrived

    def _use_shop_locale(self) -> None:
        """Money is shown the way the shop's language writes numbers."""
        fmt.use_locale(self.svc.shop.locale())

    # -- payments -----------------------------------------------------------------------
    def import_statement(self) -> None:
        """Qt's own file dialog, opened (not exec'd): the same on every platform and testable."""
        dialog = QFileDialog(self, self.tr("Import bank statement"))
        dialog.setObjectName("statementFile")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Bank statements (*.xml *.csv)"), self.tr("All files (*)")])
        dialog.fileSelected.connect(self.run_statement_import)
        self._open(dialog)

    def run_statement_import(self, path: str) -> None:
        from pathlib import Path

        from invoicer.services.payments_bank import import_statement

        self._payments_busy(self.tr("Importing {0}…").format(Path(path).name))
        self.worker = run_in_thread(
            lambda: import_statement(self.svc, Path(path).read_bytes()),
            self._statement_imported,
            self._payments_failed,
        )

    def _statement_imported(self, report: Any) -> None:
        self.sync.changed()
        from ui_qt.dialogs.statement_result import StatementResultDialog

        self._payments_busy("")
        self.refresh()
        self._open(StatementResultDialog(report, self))

    def refresh_card_payments(self) -> None:
        from invoicer.services.payments_stripe import prepare, refresh

        prepare()  # on the GUI thread: a first import in a worker can crash Qt
        self._payments_busy(self.tr("Asking Stripe about open payment links…"))
        self.worker = run_in_thread(
            lambda: refresh(self.svc), self._card_payments_refreshed, self._payments_failed
        )

    def _card_payments_refreshed(self, report: Any) -> None:
        self.sync.changed()
        self._payments_busy("")
        self.refresh()
        text = self.tr("Paid: {0}. Still open: {1}. Expired: {2}.").format(
            ", ".join(report.paid) or self.tr("none"), report.still_open, report.expired
        )
        self.statusBar().showMessage(text)
        self.info_box = show_info(self, self.tr("Card payments"), text)

    def scan_crypto_payments(self) -> None:
        """One `pay watch` pass: confirmed blocks since the last scan, exact amounts booked."""
        from invoicer.services.payments_watch import scan

        self._payments_busy(self.tr("Reading new blocks for payments to the shop…"))
        self.worker = run_in_thread(
            lambda: scan(self.svc), self._crypto_payments_scanned, self._payments_failed
        )

    def _crypto_payments_scanned(self, report: Any) -> None:
        self.sync.changed()
        self._payments_busy("")
        self.refresh()
        text = labels.blocks_summary(report)
        lines = [text]
        lines += [
            self.tr("{0}: {1} {2} ({3})").format(
                b.invoice_number, b.amount, b.currency, b.transfer.tx_hash
            )
            for b in report.booked
        ]
        lines += [
            self.tr("Not matched: {0} units of {1} in {2}: {3}").format(
                u.transfer.units, u.transfer.asset, u.transfer.tx_hash, u.reason
            )
            for u in report.unmatched
        ]
        self.statusBar().showMessage(text)
        self.info_box = show_info(self, self.tr("Crypto payments"), "\n".join(lines))

    def _payments_busy(self, text: str) -> None:
        for name in PAYMENT_ACTIONS:
            self.actions_by_name[name].setEnabled(not text)
        self.statusBar().showMessage(text or str(self.svc.path))

    def _payments_failed(self, exc: BaseException) -> None:
        self._payments_busy("")
        self.info_box = show_error(self, exc)

    def about(self) -> None:
        from invoicer import __version__

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About Invoicer"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            self.tr(
                "<b>Invoicer {0}</b><br>Local-first invoicing for small EU "
                "merchants.<br>Database: {1}"
            ).format(__version__, self.svc.path)
        )
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
