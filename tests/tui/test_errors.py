"""Errors reach the user as readable notifications, never as a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.tui.conftest import fill_fixed_data, make_app, settle
from ui_tui.screens.customer_form import CustomerFormScreen, vies_available
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


async def test_vies_check_says_when_it_is_not_configured(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CustomerFormScreen(data["customers"][0].id))
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        if not vies_available():
            assert any("VIES not configured" in m for m in messages(app))


async def test_pdf_without_documents_service_is_explained(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(InvoiceScreen(data["open"].id))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        if getattr(svc, "documents", None) is None:
            assert any("not available" in m for m in messages(app))
            assert app.opened == []
        else:
            assert len(app.opened) == 1
            assert app.opened[0].suffix == ".pdf"
