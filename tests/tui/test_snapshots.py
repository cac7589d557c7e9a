"""How each screen looks at 80x24 (pytest-textual-snapshot; fixed data and clock).

Update after reviewing snapshot_report.html:  .venv/bin/pytest tests/tui/test_snapshots.py
--snapshot-update   (on Python 3.11, the baseline the committed SVGs were made with).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import fill_fixed_data, make_app, settle

SIZE = (80, 24)


@pytest.fixture
def filled_app(svc: Any, tmp_path: Path) -> Any:
    data = fill_fixed_data(svc)
    app = make_app(svc, tmp_path)
    app.fixture_data = data
    return app


def run_keys(*keys: str) -> Any:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return before


def test_first_run_setup(snap_compare: Any, svc: Any, tmp_path: Path) -> None:
    assert snap_compare(make_app(svc, tmp_path), terminal_size=SIZE, run_before=run_keys())


def test_setup_shows_the_services_problems(snap_compare: Any, svc: Any, tmp_path: Path) -> None:
    app = make_app(svc, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_keys("ctrl+s"))


def test_dashboard(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys())


def test_dashboard_wide(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=(120, 30), run_before=run_keys())


def test_invoices(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f3"))


def test_invoice_draft_editor(snap_compare: Any, filled_app: Any) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        await settle(pilot)
        await pilot.press("f3")
        await pilot.app.push_screen(InvoiceScreen(filled_app.fixture_data["draft"].id))
        await settle(pilot)

    assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)


def test_issued_invoice(snap_compare: Any, filled_app: Any) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        await settle(pilot)
        await pilot.press("f3")
        await pilot.app.push_screen(InvoiceScreen(filled_app.fixture_data["part"].id))
        await settle(pilot)

    assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)


def test_customers(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f4"))


def test_customer_form(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f4", "enter"))


def test_products(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f5"))


def test_reports(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f6"))


def test_settings(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f7"))


def test_help(snap_compare: Any, filled_app: Any) -> None:
    assert snap_compare(filled_app, terminal_size=SIZE, run_before=run_keys("f1"))


def test_settings_vies(snap_compare: Any, filled_app: Any) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        from textual.widgets import TabbedContent

        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "section-vies"
        await settle(pilot)

    assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)


def test_settings_secrets(snap_compare: Any, filled_app: Any) -> None:
    import keyring

    from tests.keyrings import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    backend.set_password("invoicer", "stripe_secret_key", "sk_test_never_on_screen")
    keyring.set_keyring(backend)

    async def before(pilot: Pilot[Any]) -> None:
        from textual.widgets import TabbedContent

        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "section-secrets"
        await settle(pilot)
        pilot.app.screen.query_one("#secrets").focus()
        await pilot.press("down")
        await settle(pilot)

    try:
        assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)
    finally:
        keyring.set_keyring(previous)


def test_export_format_choice(snap_compare: Any, filled_app: Any) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        from ui_tui.screens.invoice import InvoiceScreen

        await settle(pilot)
        await pilot.press("f3")
        await pilot.app.push_screen(InvoiceScreen(filled_app.fixture_data["open"].id))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)

    assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)


def test_statement_report(snap_compare: Any, filled_app: Any, tmp_path: Path) -> None:
    from tests.payments.test_bank_statements import camt

    number = filled_app.fixture_data["open"].number
    statement = tmp_path / "camt053.xml"
    statement.write_bytes(
        camt(
            [
                {"id": "E1", "amount": "57.14", "text": f"Rechnung {number}", "name": "L. Zolc"},
                {"id": "E2", "amount": "12.00", "text": "Spende", "name": "Someone"},
            ]
        )
    )

    async def before(pilot: Pilot[Any]) -> None:
        from tests.tui.conftest import type_into

        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await type_into(pilot, "#file", str(statement))
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(filled_app, terminal_size=SIZE, run_before=before)
