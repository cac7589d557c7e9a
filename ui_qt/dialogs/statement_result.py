"""What a bank statement import did: the payments booked and the credits left for a person."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.labels import statement_summary
from invoicer.services.payments_bank import StatementReport
from ui_qt import format as fmt
from ui_qt.widgets.naming import named
from ui_qt.widgets.tables import style_table

REASONS = {"reference": "RF reference", "number": "invoice number"}  # else as given


def _table(name: str, headers: list[str], rows: list[list[str]], money_column: int) -> QTableWidget:
    table = named(QTableWidget(len(rows), len(headers)), name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    style_table(table, len(headers) - 1)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c == money_column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    return table


class StatementResultDialog(QDialog):
    def __init__(self, report: StatementReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Bank statement imported"))
        self.setMinimumSize(760, 440)
        summary = named(
            QLabel(statement_summary(report)),
            "summary",
        )
        self.booked = _table(
            "booked",
            [self.tr("Invoice"), self.tr("Amount"), self.tr("Matched by"), self.tr("Payer")],
            [
                [
                    m.invoice.number,
                    fmt.money(m.credit.amount, m.credit.currency),
                    self.tr(REASONS.get(m.reason, m.reason)),
                    m.credit.payer_name,
                ]
                for m in report.booked
            ],
            1,
        )
        self.unmatched = _table(
            "unmatched",
            [self.tr("Date"), self.tr("Amount"), self.tr("Payer"), self.tr("Reference / text")],
            [
                [
                    fmt.date(c.booking_date),
                    fmt.money(c.amount, c.currency),
                    c.payer_name,
                    c.reference or c.text,
                ]
                for c in report.unmatched
            ],
            1,
        )
        booked_box = QGroupBox(self.tr("Matched and booked"))
        QVBoxLayout(booked_box).addWidget(self.booked)
        unmatched_box = QGroupBox(
            self.tr("Not matched: record these with “Record payment…” on the invoice")
        )
        QVBoxLayout(unmatched_box).addWidget(self.unmatched)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(booked_box, 1)
        layout.addWidget(unmatched_box, 1)
        layout.addWidget(buttons)
