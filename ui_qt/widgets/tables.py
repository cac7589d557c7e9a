"""One look for every table: compact rows sized from the font (high-DPI safe), zebra rows."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def style_table(view: QTableView, stretch_column: int | None = None) -> None:
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    # Row height from the font, not pixels: follows the user's font size and screen scale.
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.7))
    header = view.horizontalHeader()
    header.setDefaultAlignment(header.defaultAlignment())
    header.setHighlightSections(False)
    header.setMinimumSectionSize(view.fontMetrics().horizontalAdvance("0000000"))
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def fit_columns(view: QTableView, stretch_column: int | None = None) -> None:
    """Size columns to what is loaded (call once after the first page arrives)."""
    view.resizeColumnsToContents()
    if stretch_column is not None:
        view.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
