"""A searchable, lazily loaded list (customers, products or invoices)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from invoicer.services.views import Page
from ui_qt.models.paged_table_model import PagedTableModel
from ui_qt.models.sort_proxy import SortProxy
from ui_qt.widgets.naming import named
from ui_qt.widgets.tables import fit_columns, style_table

# fetch(search, filter_value, offset, limit) -> Page
Fetch = Callable[[str | None, Any, int, int], Page[Any]]


class ListPage(QWidget):
    activated = Signal(object)  # the record double-clicked or Enter-ed
    new_requested = Signal()

    def __init__(
        self,
        model: PagedTableModel[Any],
        fetch: Fetch,
        new_label: str,
        filters: list[tuple[str, Any]] | None = None,
        stretch_column: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._fetch = fetch
        self.search = named(QLineEdit(), "search")
        self.search.setPlaceholderText(self.tr("Search…"))
        self.search.setClearButtonEnabled(True)
        # Search on pause, not on every key: each search is one service query.
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.search.returnPressed.connect(self.reload)
        self.filter = named(QComboBox(), "filter")
        for label, value in filters or []:
            self.filter.addItem(self.tr(label), value)
        self.filter.setVisible(bool(filters))
        self.filter.currentIndexChanged.connect(self.reload)
        self.count = named(QLabel(), "count")
        new_button = named(QPushButton(new_label), "new")
        new_button.clicked.connect(self.new_requested)
        bar = self.bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.filter)
        bar.addWidget(self.count)
        bar.addWidget(new_button)

        self.proxy = SortProxy()
        self.proxy.setSourceModel(model)
        self.view = named(QTableView(), "table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # service order until clicked
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        style_table(self.view, stretch_column)
        self._stretch_column = stretch_column
        self._fitted = False
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)
        model.rowsInserted.connect(self._update_count)
        model.modelReset.connect(self._update_count)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.loaded = False

    def add_action_button(self, action: QAction) -> QToolButton:
        """A button for a menu action on this page, before the New button (same enabled state)."""
        button = named(QToolButton(), f"{action.objectName()}_button")
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.bar.insertWidget(self.bar.count() - 1, button)
        return button

    def reload(self) -> None:
        search = self.search.text().strip() or None
        value = self.filter.currentData()
        self.model.set_fetch(lambda offset, limit: self._fetch(search, value, offset, limit))
        self.loaded = True

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def _update_count(self) -> None:
        if not self._fitted and self.model.rowCount():
            fit_columns(self.view, self._stretch_column)
            self._fitted = True
        self.count.setText(
            self.tr("{0} of {1} shown").format(
                f"{self.model.rowCount():,}", self.model.total_text()
            )
        )

    def selected_record(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def _activate(self, index: QModelIndex) -> None:
        self.activated.emit(self.model.record(self.proxy.mapToSource(index).row()))
