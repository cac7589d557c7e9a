"""Devices and a server for the sync tests: each device a real store in its own file with its
own (real, in-memory) keyring backend, the server the contract's routes over a real store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from invoicer.integrations.secrets import SERVICE, SecretsStatus
from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from tests.keyrings import MemoryKeyring

START = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)
PROFILE: dict[str, Any] = {
    "legal_name": "Voorbeeld Handel B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "iban": "NL91ABNA0417164300",
}
CUSTOMER = {
    "name": "Klant B.V.",
    "street": "Kerkstraat 5",
    "postcode": "3511 LX",
    "city": "Utrecht",
    "country": "NL",
}


@dataclass
class MovableClock:
    at: dt.datetime = START

    def today(self) -> dt.date:
        return self.at.date()

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@dataclass
class SkewedClock:
    """A device whose clock is off by `ahead` (it follows the shared clock)."""

    base: MovableClock
    ahead: dt.timedelta

    def today(self) -> dt.date:
        return self.now().date()

    def now(self) -> dt.datetime:
        return self.base.now() + self.ahead


class BackendSecrets:
    """The services' secret store over one keyring backend object (a device's own)."""

    def __init__(self, backend: MemoryKeyring) -> None:
        self.backend = backend

    def get_secret(self, name: str) -> str | None:
        return self.backend.get_password(SERVICE, name)

    optional_secret = get_secret

    def set_secret(self, name: str, value: str) -> None:
        self.backend.set_password(SERVICE, name, value)

    def delete_secret(self, name: str) -> bool:
        if self.backend.get_password(SERVICE, name) is None:
            return False
        self.backend.delete_password(SERVICE, name)
        return True

    def status(self) -> SecretsStatus:
        return SecretsStatus("memory", True, None, {})


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(params=["live"])
def server(request: pytest.FixtureRequest, tmp_path: Path, clock: MovableClock) -> Iterator[Any]:
    """The real server (uvicorn on loopback, a shop signed up through the API) on a SQLite
    file (and, for the tests marked `on_every_server`, on PostgreSQL)."""
    from tests.sync.live_server import LiveSyncServer

    store: Path | str = tmp_path / "server.sqlite"
    if request.param == "live-postgresql":
        store = str(request.getfixturevalue("pg_url"))
    served = LiveSyncServer(store, clock, PROFILE)
    yield served
    served.close()


Opener = Callable[..., Services]
# The scenarios that also run against the real server on PostgreSQL.
on_every_server = pytest.mark.parametrize("server", ["live", "live-postgresql"], indirect=True)


@pytest.fixture
def open_device(tmp_path: Path, clock: MovableClock, server: Any) -> Iterator[Opener]:
    """open_device(name): the services of device `name`'s store (opened again: the same
    store and keyring), talking to the server."""
    opened: list[Services] = []
    keyrings: dict[str, MemoryKeyring] = {}

    def open_(name: str, ahead: dt.timedelta = dt.timedelta()) -> Services:
        backend = keyrings.setdefault(name, MemoryKeyring())
        ctx = ServiceContext.local(
            clock=SkewedClock(clock, ahead) if ahead else clock,
            settings=Settings(),
            secrets=BackendSecrets(backend),
        )
        svc = open_services(tmp_path / f"{name}.sqlite", ctx=ctx)
        svc.sync.connect = lambda url, token=None: SyncHttp(
            url, token=token, transport=server.transport, sleep=lambda _s: None
        )
        opened.append(svc)
        return svc

    yield open_
    for svc in opened:
        svc.close()


def make_shop(svc: Services) -> str:
    """A local shop with a customer: its id."""
    svc.shop.save(ShopProfileChanges(**PROFILE))
    return svc.customers.add(NewCustomer(**CUSTOMER)).id


def issue(svc: Services, customer_id: str, count: int = 1) -> list[str]:
    numbers = []
    for index in range(count):
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer_id))
        svc.invoices.add_line(
            draft.id, NewLine(description=f"Widget {index}", unit_price="10.00", quantity="2")
        )
        numbers.append(str(svc.invoices.issue(draft.id).number))
    return numbers


def restore_file(backup: Path, path: Path) -> None:
    """Put `backup` (a copy made with store.database.backup_file) back at `path`."""
    import shutil

    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)
