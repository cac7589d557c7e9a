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
