"""A small bar chart painted with QPainter in the palette's own colours (light or dark)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui_qt import format as fmt


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.labels: list[str] = []
        self.values: list[Decimal] = []
        self.currency = ""
        self.label_every = 1
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def set_data(
        self, labels: list[str], values: list[Decimal], currency: str, label_every: int = 1
    ) -> None:
        self.labels, self.values, self.currency = labels, values, currency
        self.label_every = max(1, label_every)
        self.setToolTip(
            "\n".join(
                f"{lab}: {fmt.money(v, currency)}" for lab, v in zip(labels, values, strict=True)
            )
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(text_colour)
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(0, line, self.title)
        painter.setFont(self.font())
        total = sum(self.values, Decimal(0))
        painter.setPen(muted)
        painter.drawText(
            QRectF(0, 0, self.width(), line * 1.3),
            Qt.AlignmentFlag.AlignRight,
            self.tr("total {0}").format(fmt.money(total, self.currency)),
        )
        if not self.values:
            return
        top = line * 2.0
        bottom = self.height() - line * 1.6
        height = max(bottom - top, 1.0)
        peak = max(max(self.values), Decimal(1))
        slot = self.width() / len(self.values)
        gap = max(slot * 0.18, 1.0)
        painter.setPen(muted)
        painter.drawLine(0, int(bottom), self.width(), int(bottom))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bar_colour)
        for i, value in enumerate(self.values):
            # Scale for drawing only: pixels, not money, so a float ratio is fine here.
            bar = height * float(value / peak) if value > 0 else 0.0
            painter.drawRoundedRect(
                QRectF(i * slot + gap / 2, bottom - bar, slot - gap, bar), 2.0, 2.0
            )
        painter.setPen(muted)
        for i, label in enumerate(self.labels):
            if i % self.label_every:
                continue
            width = metrics.horizontalAdvance(label) + 6.0
            left = min(max(i * slot + slot / 2 - width / 2, 0.0), self.width() - width)
            painter.drawText(
                QRectF(left, bottom + 2, width, line * 1.4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        painter.end()
