"""TUI test helpers: a real service layer over a temp SQLite file, a fixed clock and data.

Snapshots and Pilot tests run the real `InvoicerApp` on real services; `settle()` waits until
every worker has finished and its message has been handled, so assertions never race the
threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    RecordPayment,
    ShopProfileChanges,
)

TODAY = dt.date(2026, 3, 16)  # a Monday; every date in the fixtures is fixed around it


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor makes screenshots depend on timing.
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True)
def _money_in_the_default_locale() -> Iterator[None]:
    # The app shows money in the shop's locale (ui_tui.format.use_locale, set once the shop
    # is known); one test's German shop must not change the next test's numbers.
    from ui_tui import format as fmt

    yield
    fmt.use_locale("en_IE")


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Any]:
    from invoicer.services.app import open_services

    # The services' clock is the app's fixed clock too: statuses (overdue), the 30-day revenue
    # and credit-note dates must not drift with the real date, or snapshots change by the day.
    with open_services(tmp_path / "tui.sqlite", today=lambda: TODAY) as services:
        yield services


SHOP = {
    "legal_name": "Beispiel Handel GmbH",
    "trading_name": "Beispiel",
    "street": "Hauptstraße 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
    "vat_number": "DE136695976",
    "vat_status": "registered",
    "currency": "EUR",
    "language": "en",
    "payment_terms_days": 14,
    "iban": "DE89370400440532013000",
    "email": "rechnung@beispiel.example",
}


@pytest.fixture
def shop_svc(svc: Any) -> Any:
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


def fill_fixed_data(svc: Any) -> dict[str, Any]:
    """A small, fully fixed data set: 3 customers, 3 products, invoices in every state."""
    svc.shop.save(ShopProfileChanges(**SHOP))
    mueller = svc.customers.add(
        NewCustomer(
            name="Müller Bau GmbH",
            street="Marktplatz 5",
            postcode="80331",
            city="München",
            country="DE",
            vat_number="DE129273398",
            email="einkauf@mueller.example",
            is_business=True,
        )
    )
    acme = svc.customers.add(
        NewCustomer(
            name="Acme SARL",
            street="1 rue de la Paix",
            postcode="75002",
            city="Paris",
            country="FR",
            vat_number="FR40303265045",
            email="compta@acme.example",
            is_business=True,
        )
    )
    zolc = svc.customers.add(
        NewCustomer(
            name="Łukasz Żółć",
            street="ul. Długa 7",
            postcode="00-238",
            city="Warszawa",
            country="PL",
            email="lukasz@example.pl",
            is_business=False,
        )
    )
    hour = svc.products.add(
        NewProduct(
            name="Consulting hour",
            unit_price=Decimal("90.00"),
            unit_code="HUR",
            rate_class="standard",
            supply_kind="services",
            sku="CONS-H",
        )
    )
    book = svc.products.add(
        NewProduct(
            name="Handbook (print)",
            unit_price=Decimal("24.50"),
            unit_code="C62",
            rate_class="reduced",
            supply_kind="goods",
            sku="BOOK-1",
        )
    )
    widget = svc.products.add(
        NewProduct(
            name="Widget Ωmega",
            unit_price=Decimal("12.99"),
            unit_code="C62",
            rate_class="standard",
            supply_kind="goods",
            sku="W-OM",
        )
    )

    def invoice(
        customer: Any, day: int, lines: list[tuple[Any, str]], issue: bool = True, **extra: Any
    ) -> Any:
        draft = svc.invoices.create_draft(
            NewDraft(
                customer_id=customer.id,
                issue_date=dt.date(2026, 3, day),
                supply_date=dt.date(2026, 3, day),
                **extra,
            )
        )
        for product, qty in lines:
            svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity=Decimal(qty)))
        return svc.invoices.issue(draft.id) if issue else svc.invoices.get(draft.id)

    paid = invoice(mueller, 2, [(hour, "8"), (book, "2")])
    svc.payments.add(paid.id, RecordPayment(amount=paid.gross, date=dt.date(2026, 3, 10)))
    part = invoice(mueller, 3, [(hour, "3")])
    svc.payments.add(part.id, RecordPayment(amount=Decimal("100.00"), date=dt.date(2026, 3, 12)))
    credited = invoice(mueller, 4, [(widget, "10")])
    svc.credit_notes.create(credited.id, NewCreditNote())
    open_ = invoice(zolc, 9, [(book, "1"), (widget, "2")], due_days=5)  # overdue at TODAY
    draft = invoice(mueller, 13, [(hour, "1.5")], issue=False)
    return {
        "customers": (mueller, acme, zolc),
        "products": (hour, book, widget),
        "paid": paid,
        "part": part,
        "credited": credited,
        "open": open_,
        "draft": draft,
    }


@pytest.fixture
def filled_svc(svc: Any) -> tuple[Any, dict[str, Any]]:
    return svc, fill_fixed_data(svc)


def make_app(services: Any, tmp_path: Path | None = None, **kwargs: Any) -> Any:
    from ui_tui.app import InvoicerApp

    opened: list[Path] = []
    # No background sync unless a test asks for it (sync_every=... / sync_after_change=...).
    kwargs.setdefault("sync_every", None)
    kwargs.setdefault("sync_after_change", None)
    app = InvoicerApp(
        services,
        today=TODAY,
        opener=opened.append,
        export_dir=(tmp_path / "exports") if tmp_path else None,
        **kwargs,
    )
    app.opened = opened  # type: ignore[attr-defined]
    return app


async def settle(pilot: Pilot[Any], rounds: int = 4) -> None:
    """Wait for every worker, then let the posted messages be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Focus a field and type into it key by key, as a user would."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if hasattr(widget, "value") and isinstance(widget.value, str):
        widget.value = ""
    await pilot.press(*text)


def screen_text(app: Any) -> str:
    """The visible screen as plain text (what a user would read)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        record=True,
        file=io.StringIO(),
        legacy_windows=False,
        force_terminal=True,
        color_system=None,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)
