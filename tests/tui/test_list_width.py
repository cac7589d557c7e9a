"""At 100 columns the invoice list shows every cell in full: long customer names and
seven-digit amounts, not cut off while the terminal has room to spare."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from invoicer.services.commands import NewDraft, NewLine
from tests.tui.conftest import fill_fixed_data, make_app, screen_text, settle
from ui_tui.screens.invoices import InvoicesScreen


async def test_invoice_list_at_100_columns_shows_every_cell_in_full(
    svc: Any, tmp_path: Path
) -> None:
    data = fill_fixed_data(svc)
    mueller, hour = data["customers"][0], data["products"][0]
    big = svc.invoices.create_draft(
        NewDraft(customer_id=mueller.id, issue_date=dt.date(2026, 3, 14))
    )
    svc.invoices.add_line(big.id, NewLine(product_id=hour.id, quantity=Decimal("10000")))
    big = svc.invoices.issue(big.id)
    assert big.gross == Decimal("1071000.00")
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        table = app.screen.query_one(DataTable)
        text = screen_text(app)
        for row in range(table.row_count):
            for cell in table.get_row_at(row):
                assert str(cell) in text, (str(cell), text)
        assert "Müller Bau GmbH" in text
        assert "1,071,000.00" in text
        # All the columns fit: nothing to scroll sideways to.
        assert table.max_scroll_x == 0
