"""Drive the whole workflow through the real TUI and check the database through the services:
set up the shop, add a customer and a product, create an invoice, issue it, credit part of it
and record the payment of the rest."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.widgets import Select

from tests.tui.conftest import make_app, screen_text, settle, type_into
from ui_tui.dialogs.confirm import ConfirmDialog
from ui_tui.dialogs.credit import CreditDialog
from ui_tui.dialogs.customer_picker import CustomerPicker
from ui_tui.dialogs.line import LineDialog
from ui_tui.dialogs.payment import PaymentDialog
from ui_tui.dialogs.product_picker import ProductPicker
from ui_tui.screens.customer_form import CustomerFormScreen
from ui_tui.screens.invoice import InvoiceScreen
from ui_tui.screens.product_form import ProductFormScreen
from ui_tui.screens.settings import SetupScreen


async def test_whole_workflow_from_first_run_to_paid(svc: Any, tmp_path: Path) -> None:
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # 1. A new database opens on the guided set-up.
        assert isinstance(app.screen, SetupScreen)
        assert "Welcome to Invoicer" in screen_text(app)
        for field, text in [
            ("legal_name", "Beispiel Handel GmbH"),
            ("street", "Hauptstraße 1"),
            ("postcode", "10115"),
            ("city", "Berlin"),
            ("country", "DE"),
            ("vat_number", "DE136695976"),
            ("currency", "EUR"),
        ]:
            await type_into(pilot, f"#{field}", text)
        app.screen.query_one("#vat_status", Select).value = "registered"
        await pilot.press("ctrl+s")
        await settle(pilot)
        shop = svc.shop.get()
        assert shop is not None
        assert shop.legal_name == "Beispiel Handel GmbH"
        assert svc.shop.is_set_up()
        assert app.current_mode == "dashboard"

        # 2. A customer: first a refused save (no name), then a good one.
        await pilot.press("f4", "ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        await type_into(pilot, "#country", "DE")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormScreen)
        assert app.screen.query_one("#field-name").has_class("-invalid")
        assert svc.customers.list().total == 0
        for field, text in [
            ("name", "Müller Bau GmbH"),
            ("street", "Marktplatz 5"),
            ("postcode", "80331"),
            ("city", "München"),
        ]:
            await type_into(pilot, f"#{field}", text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        customers = svc.customers.list().items
        assert [c.name for c in customers] == ["Müller Bau GmbH"]
        assert "Müller Bau GmbH" in screen_text(app)

        # 3. A product.
        await pilot.press("f5", "ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ProductFormScreen)
        await type_into(pilot, "#name", "Consulting hour")
        await type_into(pilot, "#unit_price", "90.00")
        await type_into(pilot, "#unit_code", "HUR")
        await pilot.press("ctrl+s")
        await settle(pilot)
        products = svc.products.list().items
        assert [(p.name, p.unit_price) for p in products] == [("Consulting hour", Decimal("90"))]

        # 4. An invoice: pick the customer, add two lines through the product picker.
        await pilot.press("f3", "ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CustomerPicker)
        await pilot.press(*"Müll")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        invoice_id = app.screen.invoice_id
        for quantity in ("3", "2"):
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, ProductPicker)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, LineDialog)
            await type_into(pilot, "#quantity", quantity)
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        draft = svc.invoices.preview(invoice_id)
        assert [line.quantity for line in draft.lines] == [Decimal(3), Decimal(2)]
        assert draft.net == Decimal("450.00")
        assert draft.gross == Decimal("535.50")  # DE standard rate 19 %
        text = screen_text(app)
        assert "535.50 EUR" in text
        assert "85.50" in text

        # 5. Issue it, after the confirmation.
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        issued = svc.invoices.get(invoice_id)
        assert issued.number is not None
        assert issued.status == "open"
        assert issued.number in screen_text(app)

        # 6. Credit the second line (2 hours).
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CreditDialog)
        await pilot.click("#partial")
        await type_into(pilot, "#qty-1", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        notes = svc.invoices.list(kind="credit_note").items
        assert len(notes) == 1
        credit_note = svc.invoices.get(notes[0].id)
        assert credit_note.credited_invoice_id == invoice_id
        assert credit_note.gross == Decimal("-214.20") or credit_note.gross == Decimal("214.20")

        # 7. Record the payment of what is left (the dialog proposes the balance).
        balance = svc.invoices.get(invoice_id).balance
        assert balance == Decimal("321.30")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PaymentDialog)
        await pilot.press("ctrl+s")
        await settle(pilot)
        paid = svc.invoices.get(invoice_id)
        assert paid.status == "paid"
        assert paid.balance == 0
        assert [p.amount for p in svc.payments.list(invoice_id)] == [Decimal("321.30")]
        assert "Paid" in screen_text(app)
