"""The terminal UI reads typed amounts with the one parser of every front-end (issue 16): the
same keystrokes as in tests/cli/test_amounts.py and tests/qt/test_amounts.py store the same
value or are refused for the same reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from invoicer.services.commands import NewCustomer, NewDraft, NewProduct, ShopProfileChanges
from tests.amount_keystrokes import REFUSED, STORED
from tests.tui.conftest import make_app, settle, type_into
from ui_tui import format as fmt
from ui_tui.dialogs.line import LineDialog
from ui_tui.dialogs.product_picker import ProductPicker
from ui_tui.screens.invoice import InvoiceScreen


def draft_with_product(svc: Any) -> str:
    customer = svc.customers.add(NewCustomer(name="Jan", country="NL"))
    svc.products.add(NewProduct(name="Work", unit_price="10"))
    return str(svc.invoices.create_draft(NewDraft(customer_id=customer.id)).id)


async def add_line(pilot: Any, draft: str, price: str, quantity: str = "1") -> LineDialog:
    await pilot.app.push_screen(InvoiceScreen(draft))
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProductPicker)
    await pilot.press("enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, LineDialog)
    await type_into(pilot, "#quantity", quantity)
    await type_into(pilot, "#unit_price", price)
    await pilot.press("enter")
    await settle(pilot)
    return dialog


@pytest.mark.parametrize(("typed", "stored"), STORED)
async def test_a_typed_unit_price_is_stored_as_meant(
    shop_svc: Any, tmp_path: Path, typed: str, stored: Decimal
) -> None:
    draft = draft_with_product(shop_svc)
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await add_line(pilot, draft, typed)
        assert isinstance(app.screen, InvoiceScreen)
    assert [line.unit_price for line in shop_svc.invoices.get(draft).lines] == [stored]


@pytest.mark.parametrize(("typed", "code", "words"), [*REFUSED, ("1,000", "", "")])
async def test_an_ambiguous_amount_is_refused_beside_its_field(
    shop_svc: Any, tmp_path: Path, typed: str, code: str, words: str
) -> None:
    draft = draft_with_product(shop_svc)
    before = shop_svc.invoices.get(draft)
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if code:
            field = "unit_price"
            dialog = await add_line(pilot, draft, typed)
        else:  # the quantity: read the same way
            field, words = "quantity", "'1,000' is ambiguous"
            dialog = await add_line(pilot, draft, "5", quantity=typed)
        assert app.screen is dialog
        shown = dialog.query_one(f"#field-{field}")
        assert shown.has_class("-invalid")
        assert words in str(shown.query_one(".error", Static).render())
    assert shop_svc.invoices.get(draft) == before


async def test_an_empty_quantity_is_refused_not_read_as_one(shop_svc: Any, tmp_path: Path) -> None:
    draft = draft_with_product(shop_svc)
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await add_line(pilot, draft, "5", quantity="")
        assert app.screen is dialog
        assert dialog.query_one("#field-quantity").has_class("-invalid")
    assert shop_svc.invoices.get(draft).lines == ()


async def test_money_follows_the_shops_language(shop_svc: Any, tmp_path: Path) -> None:
    shop_svc.shop.save(ShopProfileChanges(language="de"))
    app = make_app(shop_svc, tmp_path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert fmt.money(Decimal("1234.5"), "EUR") == "1.234,50 EUR"
            assert fmt.money(Decimal("1000"), "JPY") == "1.000 JPY"
    finally:
        fmt.use_locale("en_IE")
