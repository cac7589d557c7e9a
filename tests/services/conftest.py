"""A real Invoicer database in a temp dir, with a Dutch shop and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges

TODAY = dt.date(2026, 3, 16)

SHOP: dict[str, Any] = {
    "legal_name": "Voorbeeld Handel B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "registration_number": "12345678",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "email": "factuur@voorbeeld.example",
}


class Clock:
    def __init__(self) -> None:
        self.today = TODAY

    def __call__(self) -> dt.date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "invoicer.sqlite"


@pytest.fixture
def svc(db_path: Path, clock: Clock) -> Iterator[Services]:
    with open_services(db_path, today=clock) as services:
        yield services


@pytest.fixture
def shop(svc: Services) -> Services:
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


def dump(path: Path) -> list[str]:
    """The database's whole content as SQL, to prove a failed call changed nothing."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()
