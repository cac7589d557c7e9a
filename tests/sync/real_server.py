"""The real thing for the sync scenarios: `invoicer serve` as its own process on a loopback
port (on a SQLite file or PostgreSQL), which a test can kill outright and start again on the
same port and database; and devices, each a store in its own folder with its own keyring file,
driven in process through svc.sync and as `python -m invoicer --db PATH sync ...`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from invoicer.integrations.secrets import SERVICE, SecretsStatus
from invoicer.services.app import Services, open_services
from invoicer.services.context import Clock, ServiceContext
from invoicer.services.settings import Settings
from tests.backends import rows
from tests.conftest import REPO_ROOT
from tests.server.conftest import PASSWORD
from tests.sync.file_keyring import PATH_VARIABLE, FileKeyring

START_TIMEOUT = 90.0
SECRET = "scenario-signing-secret-" + "s" * 40  # the same across restarts: tokens stay valid
EMAIL = "owner@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INVOICER_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.update(extra)
    return env


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and its children (its own session): no shutdown of any kind."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class ServeProcess:
    """`invoicer serve --database-url DATABASE` on one port; start, kill, start again."""

    def __init__(self, folder: Path, database: Path | str) -> None:
        self.folder, self.database = folder, database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.email, self.password = EMAIL, PASSWORD
        self.shop_id = ""

    @property
    def log(self) -> Path:
        return self.folder / f"serve-{self.port}-{self.starts}.log"

    def output(self) -> str:
        return "\n".join(
            (self.folder / f"serve-{self.port}-{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
        )

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.starts += 1
        with self.log.open("wb") as sink:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "invoicer",
                    "serve",
                    "--port",
                    str(self.port),
                    "--database-url",
                    str(self.database),
                    "--no-access-log",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=child_env(INVOICER_JWT_SECRET=SECRET),
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"invoicer serve exited:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"no /healthz:\n{self.output()}"
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.process is not None
        kill_group(self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill_group(self.process)

    def sign_up(self, profile: dict[str, Any]) -> None:
        answer = httpx.post(
            f"{self.url}/v1/auth/signup",
            json={"email": self.email, "password": self.password, "shop": profile},
            timeout=60,
        )
        assert answer.status_code == 201, answer.text
        self.shop_id = answer.json()["user"]["shop_id"]

    def admin_headers(self) -> dict[str, str]:
        answer = httpx.post(
            f"{self.url}/v1/auth/token",
            data={"username": self.email, "password": self.password, "grant_type": "password"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def count(self, sql: str, **params: Any) -> int:
        """A number read from the server's database directly (not through the API)."""
        return int(rows(self.database, sql, **params)[0][0])

    def feed_of(self, device_id: str) -> list[tuple[int, int]]:
        """(device_seq, server_seq) of the device's events in the server's feed."""
        found = rows(
            self.database,
            "SELECT e.device_seq, f.server_seq FROM sync_feed f JOIN audit_events e "
            "ON e.shop_id = f.shop_id AND e.id = f.event_id "
            "WHERE f.shop_id = :shop AND e.device_id = :device ORDER BY e.device_seq",
            shop=self.shop_id,
            device=device_id,
        )
        return [(int(a), int(b)) for a, b in found]


class FileSecrets:
    """The services' secret store over the device's keyring file (what the CLI reads)."""

    def __init__(self, path: Path) -> None:
        self.backend = FileKeyring(path)

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
        return SecretsStatus("file", True, None, {})


@dataclass(eq=False)  # one device is one device: hashable by identity
class RealDevice:
    """A device of the shop: a store in its own folder and its keyring file."""

    name: str
    folder: Path
    clock: Clock | None = None

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def db(self) -> Path:
        return self.folder / "invoicer.sqlite"

    @property
    def keyring(self) -> Path:
        return self.folder / "keyring.json"

    def services(self) -> Services:
        ctx = ServiceContext.local(
            clock=self.clock, settings=Settings(), secrets=FileSecrets(self.keyring)
        )
        return open_services(self.db, ctx=ctx)

    def cli_args(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "invoicer", "--db", str(self.db), *args]

    def cli_env(self) -> dict[str, str]:
        return child_env(
            PYTHON_KEYRING_BACKEND="tests.sync.file_keyring.FileKeyring",
            **{PATH_VARIABLE: str(self.keyring)},
        )

    def cli(
        self, *args: str, stdin: str = "", timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """`python -m invoicer --db STORE ARGS` to the end."""
        return subprocess.run(
            self.cli_args(*args),
            input=stdin,
            capture_output=True,
            text=True,
            env=self.cli_env(),
            timeout=timeout,
        )

    @property
    def cli_log(self) -> Path:
        return self.folder / "cli.log"

    def cli_started(self, *args: str) -> subprocess.Popen[bytes]:
        """`python -m invoicer --db STORE ARGS` running (to be killed midway); its output
        goes to `cli_log`."""
        with self.cli_log.open("ab") as sink:
            return subprocess.Popen(
                self.cli_args(*args),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=self.cli_env(),
                start_new_session=True,
            )

    def count(self, sql: str) -> int:
        return int(rows(self.db, sql)[0][0])
