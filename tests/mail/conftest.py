"""A shop with customers and issued invoices, its settings pointing at a loopback SMTP
server (tests/mail/smtp_server.py), and the password in an in-memory keyring."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.services.context import FixedClock, ServiceContext
from invoicer.services.settings import Settings
from tests.keyrings import MemoryKeyring

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
LUKASZ: dict[str, Any] = {
    "name": "Łukasz Żółć",
    "country": "PL",
    "street": "ul. Długa 5",
    "postcode": "00-238",
    "city": "Warszawa",
    "email": "lukasz@example.pl",
    "language": "en",
}
GOODS = {"description": "Teapot", "unit_price": "1234.50", "quantity": "1"}


def issue(svc: Services, customer: dict[str, Any], **draft: Any) -> str:
    customer_id = svc.customers.add(NewCustomer(**customer)).id
    invoice = svc.invoices.create_draft(NewDraft(customer_id=customer_id, **draft))
    svc.invoices.add_line(invoice.id, NewLine(**GOODS))
    return svc.invoices.issue(invoice.id).id


def configure(svc: Services, **settings: Any) -> None:
    """Use these settings from now on (as a front-end does after changing them)."""
    svc.use_context(dataclasses.replace(svc.ctx, settings=Settings(**settings)))


def at(svc: Services, day: dt.date) -> None:
    svc.use_context(dataclasses.replace(svc.ctx, clock=FixedClock.on(day)))


@pytest.fixture
def keyring_store(memory_keyring: MemoryKeyring) -> MemoryKeyring:
    return memory_keyring


@pytest.fixture
def shop(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Services]:
    ctx = ServiceContext.local(clock=FixedClock.on(TODAY), settings=Settings())
    with open_services(tmp_path / "mail.sqlite", ctx=ctx) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        yield svc
