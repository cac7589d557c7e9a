"""A real Invoicer server on loopback for the UI sync tests: `invoicer serve`'s app under
uvicorn in a thread, on a SQLite file, with one signed-up shop whose admin the tests sign in
as. The UIs then set up, run and revoke through svc.sync and real HTTP."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from invoicer.integrations.secrets import SecretsStatus
    from invoicer.services.app import Services
    from invoicer.services.sync.views import SyncReport

PASSWORD = "correct horse battery staple"
SECRET = "ui-sync-test-signing-secret-" + "x" * 40
PROFILE = {
    "legal_name": "Bakkerij Test B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL000099998B57",
    "iban": "NL91ABNA0417164300",
}


@dataclass(frozen=True)
class LiveServer:
    url: str
    email: str
    password: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def live_server(folder: Path, email: str = "owner@example.com") -> Iterator[LiveServer]:
    import uvicorn

    from invoicer.server.app import create_app
    from invoicer.server.config import ServerConfig
    from invoicer.services.settings import Settings
    from invoicer.store.database import open_database

    folder.mkdir(parents=True, exist_ok=True)
    config = ServerConfig(
        database=str(folder / "server.sqlite"),
        jwt_secret=SECRET,
        production=False,
        secure_cookies=False,
        fast_hashing=True,
    )
    db = open_database(config.database)
    app = create_app(config, db=db, settings=Settings())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="sync-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    try:
        made = httpx.post(
            f"{url}/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "shop": PROFILE},
            timeout=20,
        )
        assert made.status_code == 201, made.text
        yield LiveServer(url, email, PASSWORD)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        db.close()


def link(svc: Services, server: LiveServer, name: str = "Shop laptop") -> SyncReport:
    """Set this store up through the real engine, as `invoicer sync setup` does."""
    from invoicer.services.sync.views import SYNCED

    report = svc.sync.setup(server.url, name=name, email=server.email, password=server.password)
    assert report.status.state == SYNCED, report.status
    return report


class OwnSecrets:
    """A secret store of its own (another computer's keyring), in memory."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_secret(self, name: str) -> str | None:
        return self.values.get(name)

    optional_secret = get_secret

    def set_secret(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete_secret(self, name: str) -> bool:
        return self.values.pop(name, None) is not None

    def status(self) -> SecretsStatus:
        from invoicer.integrations.secrets import SecretsStatus

        return SecretsStatus("memory", True, None, dict.fromkeys(self.values, True))


@contextlib.contextmanager
def conflicted_store(folder: Path, server: LiveServer) -> Iterator[Services]:
    """A linked store with one open conflict, made for real: a product's price (a guarded
    field) changed to 11.00 on another device and to 12.00 here, neither having seen the
    other's change, both synced."""
    from invoicer.services.app import open_services
    from invoicer.services.commands import NewProduct, ProductChanges, ShopProfileChanges
    from invoicer.services.context import ServiceContext

    # The other device is another computer: its own keyring (one store per keyring user).
    other = ServiceContext.local(secrets=OwnSecrets())
    with (
        open_services(folder / "laptop.sqlite", ctx=other) as laptop,
        open_services(folder / "desktop.sqlite") as desktop,
    ):
        laptop.shop.save(ShopProfileChanges(**PROFILE, currency="EUR"))
        link(laptop, server, "Shop laptop")
        tea = laptop.products.add(NewProduct(name="Tea", unit_price="10.00"))
        laptop.sync.run()
        link(desktop, server, "Home desktop")  # downloads the shop, with the tea
        laptop.products.update(tea.id, ProductChanges(unit_price="11.00"))
        desktop.products.update(tea.id, ProductChanges(unit_price="12.00"))
        laptop.sync.run()
        desktop.sync.run()
        assert desktop.sync.status().conflicts == 1
        yield desktop
