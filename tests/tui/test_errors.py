"""Errors reach the user as readable notifications, never as a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from tests.tui.conftest import fill_fixed_data, make_app, settle
from ui_tui.screens.customer_form import CustomerFormScreen
from ui_tui.screens.invoice import InvoiceScreen


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def test_unexpected_service_failure_is_a_notification(svc: Any, tmp_path: Path) -> None:
    fill_fixed_data(svc)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    svc.reports.dashboard = broken
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("disk on fire" in m for m in messages(app))
        await pilot.press("f4")  # and the app carries on
        await settle(pilot)
        assert app.current_mode == "customers"


async def test_vies_check_reports_the_services_answer(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    private = data["customers"][2]  # no VAT number: the service refuses, the user reads why
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CustomerFormScreen(private.id))
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert any("has no VAT number to check" in m for m in messages(app))
        assert svc.customers.get(private.id).vies_checked_at is None


async def test_pdf_and_e_invoice_are_written(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(data["open"].id))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert len(app.opened) == 1
        pdf = app.opened[0]
        assert pdf.read_bytes().startswith(b"%PDF")
        await pilot.press("x", "down", "enter")  # plain EN 16931 UBL: no Peppol ids needed
        await settle(pilot)
        xml = tmp_path / "exports" / f"{pdf.stem}.ubl-en16931.xml"
        assert data["open"].number.encode() in xml.read_bytes()
        assert any("E-invoice saved" in m for m in messages(app))


async def test_issuing_for_a_customer_without_address_says_what_is_missing(
    shop_svc: Any, tmp_path: Path
) -> None:
    customer = shop_svc.customers.add(NewCustomer(name="Erika Muster", country="DE", city="Köln"))
    draft = shop_svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    shop_svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price="100.00"))
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(draft.id))
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any(
            "Erika Muster has no street or postcode" in m and "Art. 226" in m for m in messages(app)
        ), messages(app)
        assert shop_svc.invoices.get(draft.id).number is None


def test_the_tui_shows_the_one_vocabularys_sentences() -> None:
    import sqlite3

    from invoicer.domain.errors import NotFound, Problem, ValidationError
    from invoicer.services.errors import INTERNAL_MESSAGE, error_lines
    from ui_tui.screens.base import describe_error

    several = ValidationError(
        [Problem("name", "required", "Name is required."), Problem("country", "x", "Bad.")]
    )
    assert describe_error(several) == "name: Name is required.\ncountry: Bad."
    assert describe_error(NotFound("There is no invoice X.")) == "There is no invoice X."
    refused = sqlite3.IntegrityError("payments are append-only")
    assert describe_error(refused) == "\n".join(error_lines(refused))
    assert describe_error(RuntimeError("x")) == f"{INTERNAL_MESSAGE}\nRuntimeError: x"
