"""Lists search as you type, page through the services (never all rows) and filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Select

from invoicer.services.commands import (
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    ShopProfileChanges,
)
from tests.tui.conftest import fill_fixed_data, make_app, screen_text, settle


async def test_customer_search_filters_as_you_type(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 3
        await pilot.press("slash", *"acme")
        await pilot.pause(0.4)  # the debounce
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        assert "Acme SARL" in screen_text(app)
        assert "Müller" not in screen_text(app)


def many_invoices(svc: Any, count: int) -> None:
    svc.shop.save(
        ShopProfileChanges(
            legal_name="Beispiel Handel GmbH",
            vat_number="DE136695976",
            street="Hauptstraße 1",
            postcode="10115",
            city="Berlin",
            country="DE",
            vat_status="registered",
            currency="EUR",
        )
    )
    customer = svc.customers.add(
        NewCustomer(
            name="Müller Bau GmbH",
            country="DE",
            street="Marktplatz 5",
            postcode="80331",
            city="München",
        )
    )
    product = svc.products.add(NewProduct(name="Widget", unit_price=Decimal("10.00")))
    for n in range(count):
        draft = svc.invoices.create_draft(
            NewDraft(customer_id=customer.id, issue_date=dt.date(2026, 1, 1))
        )
        svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity=Decimal(n + 1)))
        if n % 3:
            svc.invoices.issue(draft.id)


async def test_invoice_list_fetches_one_page_at_a_time(svc: Any, tmp_path: Path) -> None:
    many_invoices(svc, 45)
    limits: list[int] = []
    real_list = svc.invoices.list

    def spy(*args: Any, **kwargs: Any) -> Any:
        limits.append(kwargs.get("limit", 50))
        return real_list(*args, **kwargs)

    svc.invoices.list = spy
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        page = app.screen.page_size
        assert table.row_count == page < 45
        assert f"1–{page} of 45 invoices" in screen_text(app)
        await pilot.press("pagedown")
        await settle(pilot)
        assert f"{page + 1}–{2 * page} of 45 invoices" in screen_text(app)
        await pilot.press("pageup")
        await settle(pilot)
        assert f"1–{page} of 45 invoices" in screen_text(app)
        assert limits
        assert max(limits) <= page

        # Filter by status: only drafts (every third invoice stayed a draft).
        app.screen.query_one("#status", Select).value = "draft"
        await settle(pilot)
        await pilot.pause(0.1)
        await settle(pilot)
        assert "of 15 invoices" in screen_text(app)
        assert table.row_count == min(page, 15)


async def test_paging_goes_past_a_count_the_service_capped(
    svc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lists stop counting at COUNT_CAP (10,000); every invoice beyond must still be reachable.
    monkeypatch.setattr("invoicer.services.invoices.COUNT_CAP", 20)
    many_invoices(svc, 45)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        page = app.screen.page_size
        assert page < 20
        assert f"1–{page} of 20+ invoices · page 1/2+" in screen_text(app)
        seen: list[str] = []
        for _ in range(45 // page + 2):  # more presses than pages: the last ones stay put
            seen.extend(item.id for item in app.screen.items)
            await pilot.press("pagedown")
            await settle(pilot)
        last = app.screen.items
        assert f"{45 - len(last) + 1}–45 of 45 invoices" in screen_text(app)
        assert "+" not in screen_text(app).split("of 45")[1].split("\n")[0]  # the end is known
        everything = {i.id for i in svc.invoices.list(limit=100).items}
        assert set(seen) == everything  # every invoice was on some page
        await pilot.press("pageup")
        await settle(pilot)
        offset = app.screen.page_offset
        assert offset == (45 - len(last)) - page
        # A page back, the service again stops counting: "at least this many".
        assert f"{offset + 1}–{offset + page} of {offset + page}+ invoices" in screen_text(app)
