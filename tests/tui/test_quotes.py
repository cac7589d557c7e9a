"""Quotes in the TUI (Invoices, Q): a new quote with a product line, issued, accepted and made
into a draft invoice, each step the same service call as the CLI's and the API's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.tui.conftest import fill_fixed_data, make_app, screen_text, settle, type_into
from ui_tui.dialogs.customer_picker import CustomerPicker
from ui_tui.dialogs.product_picker import ProductPicker
from ui_tui.screens.quotes import QuoteLineDialog, QuotesScreen


async def test_a_quote_from_the_tui_to_a_draft_invoice(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)
    drafts_before = svc.invoices.list(status="draft").total
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen)
        assert "No quotes yet" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)
        await pilot.press(*"Müll")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProductPicker)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuoteLineDialog)
        await type_into(pilot, "#quantity", "2")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuotesScreen)
        [quote] = svc.quotes.list().items
        assert [line.quantity for line in quote.lines] == [Decimal(2)]
        await pilot.press("i")
        await settle(pilot)
        assert "QUO-2026-000001" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert svc.quotes.get(quote.id).status == "accepted"
        await pilot.press("v")
        await settle(pilot)
        converted = svc.quotes.get(quote.id)
        assert converted.invoice_id is not None
        assert svc.invoices.list(status="draft").total == drafts_before + 1
        await pilot.press("y")  # accepting it again is refused, in words
        await settle(pilot)
        assert svc.quotes.get(quote.id).status == "accepted"
