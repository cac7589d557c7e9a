"""The terminal UI's credit dialog reads the typed quantities with the one parser
(invoicer.domain.parsing), as the desktop app's does: the same keystrokes credit the same
quantity or are refused in the same words (tests/credit_keystrokes.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from invoicer.domain.errors import ValidationError
from invoicer.domain.parsing import chosen_quantities
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, NewProduct, RecordPayment
from invoicer.services.errors import error_lines
from tests.credit_keystrokes import CREDITED, REFUSED
from tests.tui.conftest import make_app, settle, type_into
from ui_tui.dialogs.credit import CreditDialog
from ui_tui.screens.invoice import InvoiceScreen


def issued(svc: Any) -> str:
    """Ten pieces at 10.00 EUR for a consumer in Berlin (as tests/qt/test_credit_quantities)."""
    buyer = svc.customers.add(
        NewCustomer(
            name="Erika Mustermann", street="Weg 2", postcode="10117", city="Berlin", country="DE"
        )
    )
    product = svc.products.add(NewProduct(name="Widget", unit_price=Decimal("10.00")))
    draft = svc.invoices.create_draft(NewDraft(customer_id=buyer.id))
    svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity=Decimal("10")))
    return str(svc.invoices.issue(draft.id).id)


async def credit(pilot: Any, invoice_id: str, typed: str) -> CreditDialog:
    await pilot.app.push_screen(InvoiceScreen(invoice_id))
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, CreditDialog)
    await pilot.click("#partial")
    await type_into(pilot, "#qty-0", typed)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return dialog


@pytest.mark.parametrize(("typed", "credited"), CREDITED)
async def test_a_typed_quantity_is_credited_as_meant(
    shop_svc: Any, tmp_path: Path, typed: str, credited: Decimal
) -> None:
    invoice_id = issued(shop_svc)
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await credit(pilot, invoice_id, typed)
        assert isinstance(app.screen, InvoiceScreen)
    (note,) = shop_svc.invoices.list(kind="credit_note").items
    assert [line.quantity for line in shop_svc.invoices.get(note.id).lines] == [-credited]


@pytest.mark.parametrize(("typed", "code"), REFUSED)
async def test_a_refused_quantity_gives_the_one_parsers_words(
    shop_svc: Any, tmp_path: Path, typed: str, code: str
) -> None:
    invoice_id = issued(shop_svc)
    (line,) = shop_svc.invoices.get(invoice_id).lines
    with pytest.raises(ValidationError) as caught:
        chosen_quantities({line.id: (line.description, typed)})
    assert caught.value.problems[0].code == code
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await credit(pilot, invoice_id, typed)
        assert app.screen is dialog
        shown = dialog.query_one(".problems", Static).render()
        assert str(shown) == "\n".join(error_lines(caught.value))
    assert shop_svc.invoices.list(kind="credit_note").items == ()


@pytest.mark.parametrize("typed", ["2026-02-31", "31-03-2026", "yesterday", "1999-12-31"])
async def test_a_payment_date_is_read_by_the_one_parser(
    shop_svc: Any, tmp_path: Path, typed: str
) -> None:
    """The date typed in the payment dialog reaches the service as text, so it is refused in
    the words `invoicer payment add --date` uses (both go through parse_date)."""
    from ui_tui.dialogs.payment import PaymentDialog

    invoice_id = issued(shop_svc)
    with pytest.raises(ValidationError) as caught:
        shop_svc.payments.add(invoice_id, RecordPayment(amount="1", date=typed))
    (problem,) = caught.value.problems
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(invoice_id))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PaymentDialog)
        await type_into(pilot, "#date", typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        shown = dialog.query_one("#field-date .error", Static).render()
        assert str(shown) == problem.message
    assert shop_svc.payments.list(invoice_id) == ()
