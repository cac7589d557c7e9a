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
