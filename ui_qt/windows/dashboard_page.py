"""Dashboard: revenue charts, open and overdue totals, latest invoices, what needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.app import Services
from invoicer.services.views import Dashboard, MerchantStats, RevenueMonth
from ui_qt import format as fmt
from ui_qt.models.attention_list_model import AttentionListModel
from ui_qt.models.invoice_table_model import COL_CUSTOMER, InvoiceTableModel
from ui_qt.models.paged_table_model import RECORD_ROLE
from ui_qt.widgets.bar_chart import BarChart
from ui_qt.widgets.merchant_stats_panel import MerchantStatsPanel
from ui_qt.widgets.naming import named
from ui_qt.widgets.tables import fit_columns, style_table
from ui_qt.workers import Worker, run_in_thread

STATS_DAYS = 30


@dataclass(frozen=True)
class DashboardData:
    dashboard: Dashboard
    months: tuple[RevenueMonth, ...]
    today: dt.date
    stats: MerchantStats


def last_12_months(today: dt.date) -> list[str]:
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def load(svc: Services) -> DashboardData:
    """Runs in a worker thread."""
    today = svc.invoices.today()
    months = svc.reports.revenue_by_month(today.year - 1) + svc.reports.revenue_by_month(today.year)
    stats = svc.merchant_stats.stats(STATS_DAYS)
    return DashboardData(svc.reports.dashboard(), months, today, stats)


class Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.value = QLabel("–")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


class DashboardPage(QWidget):
    open_invoice = Signal(str)
    loaded = Signal()

    def __init__(self, svc: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.svc = svc
        self.worker: Worker | None = None
        self.revenue_card = Card(self.tr("Revenue, last 30 days"))
        self.open_card = Card(self.tr("Open receivables"))
        self.overdue_card = Card(self.tr("Overdue"))
        self.months_chart = BarChart(self.tr("Revenue per month (net), last 12 months"))
        self.days_chart = BarChart(self.tr("Revenue per day (net), last 30 days"))
        self.stats_panel = named(MerchantStatsPanel(), "merchant_stats")
        self.latest = InvoiceTableModel()
        self.latest_view = named(QTableView(), "latest")
        self.latest_view.setModel(self.latest)
        style_table(self.latest_view, COL_CUSTOMER)
        self.latest_view.doubleClicked.connect(self._open_latest)
        self.attention = AttentionListModel()
        self.attention_view = named(QListView(), "attention")
        self.attention_view.setModel(self.attention)
        self.attention_view.setWordWrap(True)
        self.attention_view.setAlternatingRowColors(True)
        self.attention_view.setSpacing(2)
        self.attention_view.doubleClicked.connect(self._open_attention)

        grid = QGridLayout(self)
        grid.addWidget(self.revenue_card, 0, 0)
        grid.addWidget(self.open_card, 0, 1)
        grid.addWidget(self.overdue_card, 0, 2)
        grid.addWidget(self.months_chart, 1, 0, 1, 2)
        grid.addWidget(self.days_chart, 1, 2)
        grid.addWidget(self.stats_panel, 2, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("<b>Latest invoices</b>")), 3, 0, 1, 2)
        grid.addWidget(QLabel(self.tr("<b>Needs your attention</b>")), 3, 2)
        grid.addWidget(self.latest_view, 4, 0, 1, 2)
        grid.addWidget(self.attention_view, 4, 2)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        grid.setRowStretch(4, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)

    def refresh(self) -> None:
        self.worker = run_in_thread(lambda: load(self.svc), self.show_data, self._failed)

    def _failed(self, exc: BaseException) -> None:
        from ui_qt.dialogs.errors import show_error

        show_error(self, exc)

    def show_data(self, data: DashboardData) -> None:
        d = data.dashboard
        cur = d.currency
        self.revenue_card.value.setText(fmt.money(d.revenue_30d, cur))
        self.open_card.value.setText(fmt.money(d.open_total, cur))
        self.overdue_card.value.setText(fmt.money(d.overdue_total, cur))
        by_month = {m.month: m.net for m in data.months if m.currency == cur}
        months = last_12_months(data.today)
        self.months_chart.set_data(
            [m[5:] + ("/" + m[2:4] if m.endswith("-01") else "") for m in months],
            [by_month.get(m, Decimal(0)) for m in months],
            cur,
        )
        days = [
            (data.today - dt.timedelta(days=len(d.revenue_by_day_30d) - 1 - i)).strftime("%d.%m")
            for i in range(len(d.revenue_by_day_30d))
        ]
        self.days_chart.set_data(days, list(d.revenue_by_day_30d), cur, label_every=7)
        self.stats_panel.set_stats(data.stats)
        self.latest.set_rows(d.latest)
        fit_columns(self.latest_view, COL_CUSTOMER)
        self.attention.set_rows(d.attention)
        self.loaded.emit()

    def _open_latest(self, index: QModelIndex) -> None:
        self.open_invoice.emit(self.latest.record(index.row()).id)

    def _open_attention(self, index: QModelIndex) -> None:
        item = index.data(RECORD_ROLE)
        if item is not None and item.invoice_id:
            self.open_invoice.emit(item.invoice_id)
