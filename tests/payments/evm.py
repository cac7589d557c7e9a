"""A real EVM for payment tests: eth-tester in process with the committed ERC-20 deployed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges
from tests.conftest import REPO_ROOT

TOKEN = json.loads((REPO_ROOT / "tests" / "fixtures" / "erc20" / "Token.json").read_text())


def new_chain() -> dict[str, Any]:
    from web3 import EthereumTesterProvider, Web3

    w3 = Web3(EthereumTesterProvider())
    payer, shop, stranger = w3.eth.accounts[:3]

    def deploy(name: str, symbol: str) -> Any:
        factory = w3.eth.contract(abi=TOKEN["abi"], bytecode=TOKEN["bytecode"])
        receipt = w3.eth.wait_for_transaction_receipt(
            factory.constructor(name, symbol, 6).transact({"from": payer})
        )
        token = w3.eth.contract(address=receipt.contractAddress, abi=TOKEN["abi"])
        token.functions.mint(payer, 10**15).transact({"from": payer})
        return token

    return {
        "w3": w3,
        "payer": payer,
        "shop": shop,
        "stranger": stranger,
        "eurc": deploy("Euro Coin", "EURC"),
        "fake": deploy("Fake Coin", "FAKE"),
    }


def mine(chain: dict[str, Any], blocks: int = 2) -> None:
    chain["w3"].provider.ethereum_tester.mine_blocks(blocks)


def pay_token(
    chain: dict[str, Any], token: str, to: str, units: int, gas: int | None = None
) -> str:
    options: dict[str, Any] = {"from": chain["payer"]}
    if gas:
        options["gas"] = gas
    tx = chain[token].functions.transfer(to, units).transact(options)
    return str(chain["w3"].to_hex(tx))


def open_crypto_shop(
    chain: dict[str, Any], path: Path, monkeypatch: pytest.MonkeyPatch
) -> Services:
    """A Dutch shop that accepts ETH and EURC on the test chain, 3 confirmations."""
    monkeypatch.setenv("INVOICER_RECEIVING_ADDRESS", chain["shop"])
    monkeypatch.setenv("INVOICER_CHAIN_ID", str(chain["w3"].eth.chain_id))
    monkeypatch.setenv("INVOICER_CONFIRMATIONS", "3")
    monkeypatch.setenv("INVOICER_CRYPTO_ASSETS", f"ETH, EURC:{chain['eurc'].address}:6:EUR")
    services = open_services(path, today=lambda: dt.date(2026, 3, 16))
    services.shop.save(
        ShopProfileChanges(
            legal_name="Voorbeeld B.V.",
            street="Damrak 1",
            postcode="1012 LG",
            city="Amsterdam",
            country="NL",
            vat_number="NL004495445B01",
        )
    )
    return services
