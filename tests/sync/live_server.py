"""The real sync server for the device tests: `create_app` served by uvicorn on a loopback
port in a thread, on a SQLite file, with a shop signed up through the API. `up = False`
stops it (the devices find nothing listening), `up = True` serves the same store again."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from invoicer.server.app import create_app
from invoicer.services.app import Services
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from invoicer.store.database import open_database
from tests.server.conftest import PASSWORD, make_config
from tests.sync.conftest import restore_file

EMAIL = "owner@example.com"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveSyncServer:
    transport = None  # the devices talk to it over the loopback network

    def __init__(self, path: Path | str, clock: Any, profile: dict[str, Any]) -> None:
        self.clock = clock
        self.path = path
        self.config = make_config(str(path))
        self._open()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.up = True
        signed = httpx.post(
            f"{self.url}/v1/auth/signup",
            json={"email": EMAIL, "password": PASSWORD, "shop": profile},
            timeout=30,
        )
        assert signed.status_code == 201, signed.text
        body = signed.json()
        self.email, self.password = EMAIL, PASSWORD
        self.shop_id = body["user"]["shop_id"]
        headers = {"Authorization": f"Bearer {body['access_token']}"}
        key = httpx.post(
            f"{self.url}/v1/api-keys",
            json={"name": "sync set-up", "mode": "live"},
            headers=headers,
            timeout=30,
        )
        assert key.status_code == 201, key.text
        self.api_key = key.json()["secret"]
        self.admin = {"email": EMAIL, "password": PASSWORD}
        self._services()

    def _open(self) -> None:
        self.db = open_database(self.config.database)
        self.app = create_app(self.config, db=self.db, clock=self.clock, settings=Settings())

    def _services(self) -> None:
        ctx = ServiceContext.local(clock=self.clock, settings=Settings(), shop_id=self.shop_id)
        self.svc = Services(self.db, replace(ctx, device_id="server", actor="test"))

    def restore(self, backup: Path) -> None:
        """Put a backup of the server's store back and serve it again (same address)."""
        assert isinstance(self.path, Path), "a SQLite server's file"
        self.up = False
        self.db.close()
        restore_file(backup, self.path)
        self._open()
        self._services()
        self.up = True

    @property
    def up(self) -> bool:
        return self._server is not None

    @up.setter
    def up(self, value: bool) -> None:
        if value and self._server is None:
            self._start()
        elif not value and self._server is not None:
            self._stop()

    def _start(self) -> None:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped"
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        self._server, self._thread = server, thread

    def _stop(self) -> None:
        assert self._server is not None
        assert self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._server = self._thread = None

    def close(self) -> None:
        self.up = False
        self.db.close()
