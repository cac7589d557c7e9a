"""The server's chain watcher: eth-tester behind a JSON-RPC endpoint on loopback as the
server's node; every shop that takes crypto is scanned with its own settings, each confirmed
transfer that pays an open invoice booked once, a shop without crypto left alone; and
`invoicer serve watch-chain --once` doing the same from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.server.chain_watcher import scan_all
from invoicer.services.settings import Settings
from invoicer.store.database import open_database
from tests.keyrings import MemoryKeyring
from tests.payments import eth_rpc
from tests.payments.evm import mine, new_chain, pay_token
from tests.server.checkout.conftest import issued_invoice, ok
from tests.server.conftest import MovableClock, Shop, make_config, sign_up
from tests.server.test_serve_process import invoke

pytestmark = pytest.mark.slow


@pytest.fixture
def chain() -> dict[str, Any]:
    return new_chain()


@pytest.fixture
def node(chain: dict[str, Any]) -> Iterator[str]:
    with eth_rpc.serving(chain["w3"]) as url:
        yield url


def _settings(chain: dict[str, Any], node: str) -> Settings:
    return Settings(rpc_url=node, chain_id=int(chain["w3"].eth.chain_id))


def _take_crypto(client: TestClient, shop: Shop, chain: dict[str, Any]) -> None:
    body = {
        "receiving_address": chain["shop"],
        "crypto_assets": f"EURC:{chain['eurc'].address}:6:EUR",
        "confirmations": 3,
    }
    ok(client.patch("/v1/settings", headers=shop.headers, json=body))


def test_the_watcher_books_each_shops_transfers_once(
    tmp_path: Path,
    chain: dict[str, Any],
    node: str,
    clock: MovableClock,
    memory_keyring: MemoryKeyring,
) -> None:
    path = str(tmp_path / "server.sqlite")
    db = open_database(path)
    app = create_app(make_config(path), db=db, clock=clock, settings=_settings(chain, node))
    with TestClient(app, base_url="http://testserver") as client:
        shop = sign_up(client)
        plain = sign_up(client, "plain@example.org", legal_name="No Crypto B.V.")
        _take_crypto(client, shop, chain)
        invoice = issued_invoice(client, shop)  # 30.25 EUR
        untouched = issued_invoice(client, plain)
        tx = pay_token(chain, "eurc", chain["shop"], 30_250_000)
        mine(chain, 3)

        state = app.state.invoicer
        [first] = scan_all(state)
        assert first.shop_id == shop.shop_id
        assert first.problem is None
        assert first.report is not None
        assert [b.invoice_number for b in first.report.booked] == [invoice["number"]]
        paid = ok(client.get(f"/v1/invoices/{invoice['id']}", headers=shop.headers))
        assert paid["status"] == "paid"
        [again] = scan_all(state)
        assert again.report is not None
        assert again.report.booked == []
        payments = ok(client.get(f"/v1/invoices/{invoice['id']}/payments", headers=shop.headers))
        assert [(p["method"], p["external_id"]) for p in payments["data"]] == [
            ("crypto", f"{chain['w3'].eth.chain_id}:{tx.lower()}")
        ]
        other = ok(client.get(f"/v1/invoices/{untouched['id']}", headers=plain.headers))
        assert other["status"] == "open"
    db.close()


def test_a_shop_whose_node_is_down_is_said_and_others_go_on(
    tmp_path: Path,
    chain: dict[str, Any],
    node: str,
    clock: MovableClock,
    memory_keyring: MemoryKeyring,
) -> None:
    path = str(tmp_path / "server.sqlite")
    db = open_database(path)
    down = Settings(rpc_url="http://127.0.0.1:9", chain_id=int(chain["w3"].eth.chain_id))
    app = create_app(make_config(path), db=db, clock=clock, settings=down)
    with TestClient(app, base_url="http://testserver") as client:
        shop = sign_up(client)
        _take_crypto(client, shop, chain)
        [scan] = scan_all(app.state.invoicer)
        assert scan.report is None
        assert scan.problem is not None
        assert scan.problem.startswith("Could not reach the blockchain node")
    db.close()


def test_serve_watch_chain_once_books_from_the_command_line(
    tmp_path: Path,
    chain: dict[str, Any],
    node: str,
    clock: MovableClock,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = str(tmp_path / "server.sqlite")
    db = open_database(path)
    app = create_app(make_config(path), db=db, clock=clock, settings=_settings(chain, node))
    with TestClient(app, base_url="http://testserver") as client:
        shop = sign_up(client)
        _take_crypto(client, shop, chain)
        invoice = issued_invoice(client, shop)
    db.close()
    pay_token(chain, "eurc", chain["shop"], 30_250_000)
    mine(chain, 3)
    monkeypatch.setenv("INVOICER_RPC_URL", node)
    monkeypatch.setenv("INVOICER_CHAIN_ID", str(chain["w3"].eth.chain_id))
    code, out = invoke("serve", "watch-chain", "--once", "--database-url", path)
    assert code == 0, out
    assert f"shop {shop.shop_id}: blocks" in out
    assert f"booked {invoice['number']}" in out
    code, out = invoke("serve", "watch-chain", "--once", "--database-url", path)
    assert code == 0, out
    assert "booked nothing" in out


def test_invoicer_serve_runs_the_watcher_beside_the_api(
    tmp_path: Path, chain: dict[str, Any], node: str
) -> None:
    import time

    import httpx

    from tests.server.test_serve_process import _child_env, serving

    env = _child_env(INVOICER_RPC_URL=node, INVOICER_CHAIN_ID=str(chain["w3"].eth.chain_id))
    database = str(tmp_path / "served.sqlite")
    args = ("--dev", "--database-url", database, "--chain-watch-interval", "1")
    with serving(tmp_path, *args, env=env) as live:
        from tests.server.conftest import PASSWORD, PROFILE

        made = httpx.post(
            f"{live.url}/v1/auth/signup",
            json={"email": "owner@example.com", "password": PASSWORD, "shop": PROFILE},
            timeout=30,
        )
        assert made.status_code == 201, made.text
        headers = {"Authorization": f"Bearer {made.json()['access_token']}"}
        with httpx.Client(base_url=live.url, headers=headers, timeout=30) as api:
            body = {
                "receiving_address": chain["shop"],
                "crypto_assets": f"EURC:{chain['eurc'].address}:6:EUR",
                "confirmations": 3,
            }
            assert api.patch("/v1/settings", json=body).status_code == 200
            customer = api.post(
                "/v1/customers",
                json={
                    "name": "Jansen",
                    "country": "NL",
                    "street": "Kerkstraat 1",
                    "postcode": "1017 GA",
                    "city": "Amsterdam",
                },
            ).json()
            draft = api.post("/v1/invoices", json={"customer_id": customer["id"]}).json()
            line = {"description": "Tea", "quantity": "2", "unit_price": "12.50"}
            assert api.post(f"/v1/invoices/{draft['id']}/lines", json=line).status_code == 201
            assert api.post(f"/v1/invoices/{draft['id']}/issue").status_code == 200
            pay_token(chain, "eurc", chain["shop"], 30_250_000)
            mine(chain, 3)
            deadline = time.monotonic() + 30
            while api.get(f"/v1/invoices/{draft['id']}").json()["status"] != "paid":
                assert time.monotonic() < deadline, live.output()
                time.sleep(0.3)
