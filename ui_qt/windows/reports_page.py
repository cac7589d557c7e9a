"""Reports: VAT summary per period, receivables ageing, revenue per month; each saves as CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.app import Services
from ui_qt.dialogs.errors import show_error
from ui_qt.models.report_table_model import Cell, ReportTableModel
from ui_qt.models.sort_proxy import SortProxy
from ui_qt.widgets.naming import named
from ui_qt.widgets.tables import style_table
from ui_qt.workers import Worker, run_in_thread

Report = tuple[tuple[str, ...], list[tuple[Cell, ...]]]
ZERO = Decimal(0)
AGING_ORDER = ["not_due", "1-30", "31-60", "61-90", "90+"]


def _day(day: QDate) -> dt.date:
    """A date widget's day: no text in between to parse."""
    return dt.date(day.year(), day.month(), day.day())


def vat_report(svc: Services, start: dt.date, end: dt.date) -> Report:
    summary = svc.reports.vat_summary(start, end)
    rows: list[tuple[Cell, ...]] = [
        ("VAT", r.category, r.rate, r.currency, r.taxable, r.tax) for r in summary.rows
    ]
    rows += [
        ("Intra-EU", i.buyer_vat_number, ZERO, i.currency, i.goods + i.services, ZERO)
        for i in summary.intra_community
    ]
    rows += [("OSS " + o.country, "S", o.rate, o.currency, o.taxable, o.tax) for o in summary.oss]
    return ("Section", "Category", "Rate %", "Currency", "Taxable", "VAT"), rows


def aging_report(svc: Services) -> Report:
    rows = sorted(
        svc.reports.aging(),
        key=lambda r: (r.currency, AGING_ORDER.index(r.bucket) if r.bucket in AGING_ORDER else 99),
    )
    return ("Days overdue", "Currency", "Amount", "Invoices"), [
        (r.bucket.replace("_", " "), r.currency, r.amount, r.count) for r in rows
    ]


def revenue_report(svc: Services, year: int) -> Report:
    return ("Month", "Currency", "Net", "VAT", "Gross", "Invoices"), [
        (m.month, m.currency, m.net, m.vat, m.gross, m.count)
        for m in svc.reports.revenue_by_month(year)
    ]


class ReportsPage(QWidget):
    loaded = Signal()

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.worker: Worker | None = None
        today = svc.invoices.today()
        self.kind = named(QComboBox(), "kind")
        self.kind.addItem(self.tr("VAT summary"), "vat")
        self.kind.addItem(self.tr("Receivables ageing"), "aging")
        self.kind.addItem(self.tr("Revenue per month"), "revenue")
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.start = named(QDateEdit(QDate(quarter_start.year, quarter_start.month, 1)), "start")
        self.end = named(QDateEdit(QDate(today.year, today.month, today.day)), "end")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.year = named(QSpinBox(), "year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.run_button = named(QPushButton(self.tr("&Run")), "run")
        self.run_button.clicked.connect(self.run)
        self.save_button = named(QPushButton(self.tr("Save as &CSV…")), "saveCsv")
        self.save_button.clicked.connect(self._ask_save)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.period_label = QLabel(self.tr("Period"))
        self.year_label = QLabel(self.tr("Year"))
        bar = QHBoxLayout()
        for widget in (
            self.kind,
            self.period_label,
            self.start,
            self.end,
            self.year_label,
            self.year,
            self.run_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        self.model = ReportTableModel()
        self.proxy = SortProxy()
        self.proxy.setSourceModel(self.model)
        self.view = named(QTableView(), "report")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        style_table(self.view)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for period_widget in (self.period_label, self.start, self.end):
            period_widget.setVisible(kind == "vat")
        for year_widget in (self.year_label, self.year):
            year_widget.setVisible(kind == "revenue")

    def _job(self) -> Any:
        kind = self.kind.currentData()
        start, end = _day(self.start.date()), _day(self.end.date())
        year = self.year.value()
        if kind == "vat":
            return lambda: vat_report(self.svc, start, end)
        if kind == "aging":
            return lambda: aging_report(self.svc)
        return lambda: revenue_report(self.svc, year)

    def ensure_loaded(self) -> None:
        """Run the chosen report the first time the tab is shown, so it never opens empty."""
        if self.worker is None:
            self.run()

    def run(self) -> None:
        self.run_button.setEnabled(False)
        self.worker = run_in_thread(self._job(), self._show, self._failed)

    def _show(self, report: Report) -> None:
        self.run_button.setEnabled(True)
        self.model.set_report(*report)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        show_error(self, exc)

    def _ask_save(self) -> None:
        name = f"{self.kind.currentData()}-report.csv"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save report"), name, "CSV (*.csv)")
        if path:
            self.save_csv(Path(path))

    def save_csv(self, path: Path) -> None:
        path.write_text(self.model.csv_text(), encoding="utf-8")
