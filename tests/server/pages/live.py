"""The real server for the browser tests: `create_app` on a SQLite file served by uvicorn on
a loopback port in a thread (the browser talks HTTP to it like a buyer's would), with the
Stripe stand-in's address as the server's Stripe API base."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from invoicer.server.app import create_app
from invoicer.services.settings import Settings
from invoicer.store.database import Database, open_database
from tests.server.conftest import make_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveApp:
    url: str
    app: Any
    db: Database


@contextmanager
def serving(path: Path, settings: Settings, **config: Any) -> Iterator[LiveApp]:
    """`settings`: the server's own (its Stripe API base, its VIES address)."""
    port = free_port()
    db = open_database(str(path))
    app = create_app(make_config(str(path), **config), db=db, settings=settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield LiveApp(f"http://127.0.0.1:{port}", app, db)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        db.close()
