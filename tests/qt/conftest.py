"""Real services over a temp SQLite file for every GUI test, with a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoicer.services.app import Services, open_services

TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Services]:
    with open_services(tmp_path / "gui.sqlite3", today=lambda: TODAY) as services:
        yield services


@pytest.fixture
def demo_svc(svc: Services) -> Services:
    from invoicer.services.demo import fill_demo

    fill_demo(svc, invoices=40, seed=3)
    return svc


@pytest.fixture(autouse=True)
def _money_in_the_default_locale() -> Iterator[None]:
    # The main window shows money in the shop's locale (ui_qt.format.use_locale, set once
    # the shop is known); a Dutch demo shop must not change the next test's numbers.
    from ui_qt import format as fmt

    yield
    fmt.use_locale("en_IE")
