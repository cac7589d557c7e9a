"""Real keyring backends for tests (never the user's own keyring) and the VIES stand-in."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from . import vies_server


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A private D-Bus session with gnome-keyring's Secret Service, unlocked, in tmp dirs."""
    if not shutil.which("dbus-daemon") or not shutil.which("gnome-keyring-daemon"):
        pytest.fail("dbus-daemon and gnome-keyring-daemon are required (scripts/bootstrap)")
    # A private runtime dir: gnome-keyring-daemon finds (and joins) running daemons through it.
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    address, pid = bus.stdout.split()[:2]
    try:
        yield from _unlocked_secret_service(address, monkeypatch)
    finally:
        os.kill(int(pid), signal.SIGTERM)  # gnome-keyring-daemon exits with its bus
        # keyring's SecretService backend leaves D-Bus connections to the garbage collector;
        # collect them here rather than as a ResourceWarning inside some later test.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def _unlocked_secret_service(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
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
    # The daemon forks before it has created and unlocked the login keyring; touching the
    # service earlier makes it create a locked collection it can only unlock with a prompt.
    login = Path(os.environ["XDG_DATA_HOME"]) / "keyrings" / "login.keyring"
    deadline = time.monotonic() + 20
    while not login.is_file():
        if time.monotonic() > deadline:
            pytest.fail(f"gnome-keyring-daemon did not create {login}")
        time.sleep(0.05)
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    try:
        yield {"DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def vies_service() -> Iterator[tuple[str, Any]]:
    with vies_server.running() as (url, stand_in):
        yield url, stand_in
