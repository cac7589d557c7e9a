"""A real Invoicer database, with a Dutch shop and a fixed 'today': `svc` runs on both
backends (`db_target`: a temp SQLite file or a PostgreSQL database); `db_path` is SQLite's."""

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
def svc(db_target: Path | str, clock: Clock) -> Iterator[Services]:
    with open_services(db_target, today=clock) as services:
        yield services


@pytest.fixture
def shop(svc: Services) -> Services:
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


def dump(path: Path | str) -> list[str]:
    """The database's whole content (as SQL on SQLite, as rows on PostgreSQL), to prove a
    failed call changed nothing."""
    if isinstance(path, str):
        return _table_rows(path)
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _table_rows(url: str) -> list[str]:
    from sqlalchemy import inspect, text

    from tests.backends import raw_engine

    engine = raw_engine(url)
    try:
        with engine.connect() as connection:
            found = []
            for table in sorted(inspect(connection).get_table_names()):
                result = connection.execute(text(f"SELECT * FROM {table}"))
                found += sorted(f"{table}: {tuple(row)!r}" for row in result)
            return found
    finally:
        engine.dispose()
