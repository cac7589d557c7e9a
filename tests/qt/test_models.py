"""Every item model passes Qt's model tester and shows what the services hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from invoicer.services.app import Services
from ui_qt import format as fmt
from ui_qt.dialogs.invoice_editor import EditableLineModel
from ui_qt.models.attention_list_model import AttentionListModel
from ui_qt.models.customer_table_model import CustomerTableModel
from ui_qt.models.invoice_table_model import COL_BALANCE, COL_GROSS, COL_NUMBER, InvoiceTableModel
from ui_qt.models.line_table_model import COL_QUANTITY, LineTableModel
from ui_qt.models.paged_table_model import RECORD_ROLE, SORT_ROLE
from ui_qt.models.product_table_model import COL_PRICE, ProductTableModel
from ui_qt.models.report_table_model import ReportTableModel
from ui_qt.models.sort_proxy import SortProxy
from ui_qt.windows.reports_page import revenue_report


def test_invoice_model_fetches_page_by_page(demo_svc: Services, qtmodeltester: Any) -> None:
    model = InvoiceTableModel()
    model.page_size = 15
    model.set_fetch(lambda offset, limit: demo_svc.invoices.list(offset=offset, limit=limit))
    total = demo_svc.invoices.list(limit=1).total
    assert total > 2 * model.page_size  # several pages
    assert model.rowCount() == model.page_size  # only the first page at start
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * model.page_size
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == total
    assert [model.record(r).id for r in range(total)] == [
        s.id for s in demo_svc.invoices.list(limit=total).items
    ]
    assert not model.canFetchMore(QModelIndex())
    # An issued row (the demo's order of same-day drafts and invoices varies from run to run).
    row = next(r for r in range(total) if model.record(r).number)
    first = model.record(row)
    assert model.index(row, COL_NUMBER).data() == first.number
    assert model.index(row, COL_GROSS).data(SORT_ROLE) == first.gross
    assert model.index(row, 0).data(RECORD_ROLE) is first
    draft = next(r for r in range(total) if model.record(r).status == "draft")
    assert model.index(draft, COL_NUMBER).data() == "(draft)"
    gross = model.record(draft).gross
    assert gross > 0  # a draft's total as issuing would decide it today
    assert model.index(draft, COL_GROSS).data() == fmt.money(gross, model.record(draft).currency)
    assert model.index(draft, COL_BALANCE).data() == ""  # nothing is owed yet
    qtmodeltester.check(model)


def test_customer_and_product_models(demo_svc: Services, qtmodeltester: Any) -> None:
    customers = CustomerTableModel()
    customers.set_fetch(lambda o, n: demo_svc.customers.list(offset=o, limit=n))
    assert customers.rowCount() == demo_svc.customers.list().total
    qtmodeltester.check(customers)
    products = ProductTableModel()
    products.set_fetch(lambda o, n: demo_svc.products.list(offset=o, limit=n))
    price = products.index(0, COL_PRICE)
    assert price.data(SORT_ROLE) == products.record(0).unit_price
    assert price.data(Qt.ItemDataRole.TextAlignmentRole) is not None
    qtmodeltester.check(products)


def test_sort_proxy_sorts_on_decimal_not_text(demo_svc: Services, qtmodeltester: Any) -> None:
    products = ProductTableModel()
    products.set_fetch(lambda o, n: demo_svc.products.list(offset=o, limit=n))
    proxy = SortProxy()
    proxy.setSourceModel(products)
    proxy.sort(COL_PRICE, Qt.SortOrder.AscendingOrder)
    prices = [proxy.index(r, COL_PRICE).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert prices == sorted(prices)
    assert all(isinstance(p, Decimal) for p in prices)
    qtmodeltester.check(proxy)


def test_line_attention_and_report_models(demo_svc: Services, qtmodeltester: Any) -> None:
    summary = demo_svc.invoices.list(kind="invoice", limit=1).items[0]
    invoice = demo_svc.invoices.get(summary.id)
    lines = LineTableModel()
    lines.set_rows(invoice.lines)
    assert lines.rowCount() == len(invoice.lines)
    qtmodeltester.check(lines)
    editable = EditableLineModel()
    editable.editable = True
    editable.set_rows(invoice.lines)
    assert editable.flags(editable.index(0, COL_QUANTITY)) & Qt.ItemFlag.ItemIsEditable
    assert not editable.flags(editable.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    edited: list[Any] = []
    editable.quantity_edited.connect(lambda line, text: edited.append(text))
    # Passed on as typed: the services' one parser reads it or says why not (the editor
    # shows that message), the same as for the CLI and the TUI.
    assert editable.setData(editable.index(0, COL_QUANTITY), " 1.234,5 ")
    assert edited == ["1.234,5"]
    qtmodeltester.check(editable)

    attention = AttentionListModel()
    items = demo_svc.reports.dashboard().attention
    attention.set_rows(items)
    assert attention.rowCount() == len(items) > 0
    assert items[0].message in attention.index(0, 0).data()
    qtmodeltester.check(attention)

    report = ReportTableModel()
    report.set_report(*revenue_report(demo_svc, 2026))
    assert report.rowCount() > 0
    assert report.csv_text().splitlines()[0] == "Month,Currency,Net,VAT,Gross,Invoices"
    qtmodeltester.check(report)
