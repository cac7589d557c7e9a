"""`invoicer sync` as the merchant types it (in process, the way the console script runs, with
its prompts answered): set-up, a sync, status, devices, revoke, offline, and refusals that
print a clear message and exit non-zero without a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.integrations.sync_http import SyncHttp
from invoicer.services.app import open_services
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from tests.keyrings import MemoryKeyring
from tests.sync.conftest import issue, make_shop


class SyncCli:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(
        self, *args: str, answer: str | None = None, ok: bool = True
    ) -> tuple[int, str, str]:
        with CliRunner().isolation(input=answer) as (out, err, _):
            code = run(cli, ["--db", str(self.db), *args])
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
        if ok:
            assert code == 0, stdout + stderr
        return code, stdout, stderr


@pytest.fixture
def device(
    tmp_path: Path, server: Any, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> SyncCli:
    """A store with a shop, three invoices and the keyring of this (test) machine."""
    if server.transport is not None:  # the contract's routes in process: no socket
        monkeypatch.setattr(
            "invoicer.services.sync.client._connect",
            lambda url, token=None: SyncHttp(
                url, token=token, transport=server.transport, sleep=lambda _s: None
            ),
        )
    path = tmp_path / "shop.sqlite"
    ctx = ServiceContext.local(settings=Settings())
    with open_services(path, ctx=ctx) as svc:
        issue(svc, make_shop(svc), 3)
    return SyncCli(path)


def _setup(
    device: SyncCli, server: Any, name: str = "Laptop", ok: bool = True
) -> tuple[int, str, str]:
    return device(
        "sync",
        "setup",
        server.url,
        "--name",
        name,
        "--email",
        server.email,
        answer=f"{server.password}\n",
        ok=ok,
    )


def test_setup_then_sync_status_and_devices(device: SyncCli, server: Any) -> None:
    _, out, _ = device("sync", "status")
    assert "not set up" in out

    _, out, err = _setup(device, server)

    assert "syncs with" in out
    assert "Synced just now" in out
    assert "dv_" not in out + err
    _, out, _ = device("sync")
    assert out.count("\n") == 1  # one line
    state = json.loads(device("sync", "status", "--json")[1])
    assert state["pending"] == 0
    assert state["device_code"] == "A"
    listed = json.loads(device("sync", "devices", "--json")[1])
    assert state["device_id"] in {d["device_id"] for d in listed}


def test_refusals_are_a_message_and_a_status(device: SyncCli, server: Any) -> None:
    code, out, err = device("sync", ok=False)
    assert code == 1
    assert "does not sync yet" in err
    assert "Traceback" not in out + err

    code, _, err = device(
        "sync",
        "setup",
        server.url,
        "--name",
        "X",
        "--email",
        server.email,
        answer="wrong password\n",
        ok=False,
    )
    assert code != 0
    assert err.startswith("Error: ")
    assert "wrong password" not in err
    _setup(device, server)
    code, out, err = _setup(device, server, "Again", ok=False)
    assert code == 1
    assert "already syncs" in err
    assert "Password" not in out  # refused before asking for one


def test_offline_says_so_and_exits_1_then_catches_up(device: SyncCli, server: Any) -> None:
    _setup(device, server)
    with open_services(device.db, ctx=ServiceContext.local(settings=Settings())) as svc:
        customer = svc.customers.list().items[0].id
        issue(svc, customer, 2)

    server.up = False
    code, out, _ = device("sync", ok=False)
    assert code == 1
    assert "Offline since" in out
    assert "changes waiting" in out

    server.up = True
    code, out, _ = device("sync", ok=False)
    assert "Offline" not in out
    assert "sent" in out.lower()


def test_revoke_from_the_cli(device: SyncCli, server: Any) -> None:
    _setup(device, server)
    state = json.loads(device("sync", "status", "--json")[1])

    _, out, _ = device(
        "sync",
        "revoke",
        state["device_id"],
        "--email",
        server.email,
        answer=f"{server.password}\n",
    )
    assert "Revoked device A" in out
    code, out, _ = device("sync", ok=False)
    assert code == 1
    assert "revoked" in out
    assert "cannot issue" in out


def test_setup_with_an_api_key_from_stdin(device: SyncCli, server: Any) -> None:
    _, out, err = device(
        "sync",
        "setup",
        server.url,
        "--name",
        "Till",
        "--api-key-stdin",
        answer=f"{server.api_key}\n",
    )

    assert "as device A (Till)" in out
    assert server.api_key not in out + err
    _, out, _ = device("sync", "conflicts")
    assert out == "No conflicts.\n"
    code, _, err = device("sync", "resolve", "customer:x:vat_number", "1.a.1", ok=False)
    assert code != 0
    assert "No open conflict" in err


def test_the_credential_is_in_the_keyring_only_and_its_loss_is_said(
    device: SyncCli, server: Any, memory_keyring: MemoryKeyring
) -> None:
    _setup(device, server)
    stored = [value for (_, name), value in memory_keyring.entries.items() if name == "sync_token"]
    assert stored
    for part in (device.db, device.db.with_name(device.db.name + "-wal")):
        assert not part.exists() or stored[0].encode() not in part.read_bytes()

    _, out, _ = device("secrets", "delete", "sync_token")
    assert out == "Deleted sync_token.\n"
    code, out, _ = device("sync", ok=False)
    assert code == 1
    assert "credential is not in the keyring" in out
