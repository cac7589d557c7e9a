"""The merchant's statistics on the dashboard: received per day as a bar chart, paid against
open and the top customers, one currency at a time (figures from MerchantStatsService)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from invoicer.services.views import CurrencyStats, MerchantStats
from ui_qt import format as fmt
from ui_qt.widgets.bar_chart import BarChart
from ui_qt.widgets.naming import named


class MerchantStatsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats: MerchantStats | None = None
        self.received_chart = BarChart(self.tr("Received per day"))
        self.currency_box = named(QComboBox(), "stats_currency")
        self.currency_box.currentIndexChanged.connect(self._show_currency)
        self.paid_open = named(QLabel("–"), "paid_open")
        self.top_customers = named(QLabel("–"), "top_customers")
        self.top_customers.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.received_chart, 0, 0, 3, 1)
        grid.addWidget(self.currency_box, 0, 1)
        grid.addWidget(self.paid_open, 1, 1)
        grid.addWidget(self.top_customers, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)

    def set_stats(self, stats: MerchantStats) -> None:
        """Show `stats`, in the currency shown before when it is still there (the shop's
        currency, which the service lists first, otherwise)."""
        shown = self.currency_box.currentText()
        self.stats = stats
        codes = [c.currency for c in stats.currencies]
        self.currency_box.blockSignals(True)
        self.currency_box.clear()
        self.currency_box.addItems(codes)
        self.currency_box.setCurrentIndex(codes.index(shown) if shown in codes else 0)
        self.currency_box.setVisible(len(codes) > 1)
        self.currency_box.blockSignals(False)
        self._show_currency()

    def shown(self) -> CurrencyStats | None:
        if self.stats is None or not self.stats.currencies:
            return None
        return self.stats.currencies[max(self.currency_box.currentIndex(), 0)]

    def _show_currency(self) -> None:
        figures, stats = self.shown(), self.stats
        if figures is None or stats is None:
            return
        code = figures.currency
        self.received_chart.title = self.tr("Received per day, last {0} days").format(stats.days)
        self.received_chart.set_data(
            [d.day.strftime("%d.%m") for d in figures.days],
            [d.received for d in figures.days],
            code,
            label_every=max(1, len(figures.days) // 4),
        )
        self.paid_open.setText(
            self.tr(
                "<b>Invoices issued in these {0} days:</b> {1}<br>"
                "Paid: {2} · Open: {3}<br>"
                "Received on them: {4}<br>"
                "Still owed: {5}"
            ).format(
                stats.days,
                figures.invoices,
                figures.paid_count,
                figures.open_count,
                fmt.money(figures.paid, code),
                fmt.money(figures.open, code),
            )
        )
        lines = [
            f"{n}. {html.escape(top.name)}: {fmt.money(top.issued, code)}"
            for n, top in enumerate(figures.top_customers, 1)
        ]
        self.top_customers.setText(
            "<b>" + self.tr("Top customers") + "</b><br>" + "<br>".join(lines or ["–"])
        )
