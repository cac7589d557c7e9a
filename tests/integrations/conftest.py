"""Real keyring backends for tests (never the user's own keyring) and the VIES stand-in."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from . import vies_server


class MemoryKeyring(KeyringBackend):
    """A complete keyring backend that keeps its entries in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.entries:
            raise PasswordDeleteError(username)
        del self.entries[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A private D-Bus session with gnome-keyring's Secret Service, unlocked, in tmp dirs."""
    if not shutil.which("dbus-daemon") or not shutil.which("gnome-keyring-daemon"):
        pytest.fail("dbus-daemon and gnome-keyring-daemon are required (scripts/bootstrap)")
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    address, pid = bus.stdout.split()[:2]
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address}
    daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
        input="test-password", capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    for line in daemon.stdout.splitlines():
        key, _, value = line.partition("=")
        if key:
            monkeypatch.setenv(key, value)
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    try:
        yield {"DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        keyring.set_keyring(previous)
        os.kill(int(pid), signal.SIGTERM)  # gnome-keyring-daemon exits with its bus


@pytest.fixture
def vies_service() -> Iterator[tuple[str, Any]]:
    with vies_server.running() as (url, stand_in):
        yield url, stand_in
