"""The TUI makes the recurring invoices due when it starts, and says what it made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from invoicer.services.commands import NewCustomer, NewLine, NewRecurring
from tests.tui.conftest import TODAY, make_app, settle


def messages(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def subscription(svc: Any) -> str:
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen", country="DE", street="Weg 1", postcode="10115", city="Berlin"
        )
    )
    return str(
        svc.recurring.create(
            NewRecurring(
                customer_id=customer.id,
                name="Hosting",
                frequency="monthly",
                start_date=TODAY - dt.timedelta(days=45),
                auto_issue=True,
                lines=[NewLine(description="Hosting", unit_price="20.00")],
            )
        ).id
    )


async def test_the_start_makes_what_is_due_and_says_so(shop_svc: Any, tmp_path: Path) -> None:
    tid = subscription(shop_svc)
    app = make_app(shop_svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        [said] = [m for m in messages(app) if "recurring" in m]
        assert said.startswith("Made 2 recurring invoices.")
        assert "Hosting: issued " in said
    assert len(shop_svc.recurring.runs(tid)) == 2
    again = make_app(shop_svc, tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not [m for m in messages(again) if "recurring" in m]  # made once
    assert len(shop_svc.recurring.runs(tid)) == 2


async def test_after_a_first_look_it_runs_once_the_services_open(
    shop_svc: Any, tmp_path: Path
) -> None:
    from ui_tui.launch import tui_app

    tid = subscription(shop_svc)
    path = shop_svc.path
    shop_svc.close()
    with tui_app(path, today=TODAY) as app:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert any(m.startswith("Made 2 recurring invoices.") for m in messages(app))
    from invoicer.services.app import open_services

    with open_services(path, today=lambda: TODAY) as svc:
        assert len(svc.recurring.runs(tid)) == 2
