"""Crypto payments verified on a real EVM (eth-tester in process) with a real ERC-20."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.integrations.crypto import Asset, CryptoCheckFailed, checksum_address, eip681_uri
from invoicer.services.app import Services, open_services
from invoicer.services.documents import document
from invoicer.services.payments_crypto import check_transaction, request_payment
from tests.conftest import REPO_ROOT

TOKEN = json.loads((REPO_ROOT / "tests" / "fixtures" / "erc20" / "Token.json").read_text())


@pytest.fixture(scope="module")
def chain() -> dict[str, Any]:
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


@pytest.fixture
def svc(
    chain: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    monkeypatch.setenv("INVOICER_RECEIVING_ADDRESS", chain["shop"])
    monkeypatch.setenv("INVOICER_CHAIN_ID", str(chain["w3"].eth.chain_id))
    monkeypatch.setenv("INVOICER_CONFIRMATIONS", "3")
    monkeypatch.setenv("INVOICER_CRYPTO_ASSETS", f"ETH, EURC:{chain['eurc'].address}:6:EUR")
    services = open_services(tmp_path / "c.sqlite", today=lambda: dt.date(2026, 3, 16))
    services.shop.save(
        legal_name="Voorbeeld B.V.",
        street="Damrak 1",
        postcode="1012 LG",
        city="Amsterdam",
        country="NL",
        vat_number="NL004495445B01",
    )
    yield services
    services.close()


def issued(svc: Services) -> str:
    cid = svc.customers.add(name="Jan Jansen", country="NL").id
    draft = svc.invoices.create_draft(cid)
    svc.invoices.add_line(draft.id, description="Work", unit_price="100.00")  # 121.00 with VAT
    return svc.invoices.issue(draft.id).id


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


def test_token_payment_is_verified_and_booked(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc)
    request = request_payment(svc, invoice_id, "EURC")
    assert request.details["units"] == 121_000_000
    assert request.url == (
        f"ethereum:{chain['eurc'].address}@{chain['w3'].eth.chain_id}"
        f"/transfer?address={chain['shop']}&uint256=121000000"
    )
    assert document(svc, invoice_id).crypto_payment is not None
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain)
    payment, check = check_transaction(svc, invoice_id, tx, w3=chain["w3"])
    assert (payment.amount, payment.method, check.units) == (
        Decimal("121.00"),
        "crypto",
        121_000_000,
    )
    assert payment.extra is not None
    assert payment.extra["tx_hash"] == tx.lower()
    assert svc.invoices.get(invoice_id).status == "paid"
    assert tx.lower() in (svc.payments.list(invoice_id)[0].reference or "")


def test_eth_payment_at_the_stored_rate(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc)
    request = request_payment(svc, invoice_id, "ETH", rate="2420")
    assert request.details["units"] == 5 * 10**16  # 121.00 EUR / 2420 EUR per ETH = 0.05 ETH
    assert request.url.endswith(f"?value={5 * 10**16}")
    w3 = chain["w3"]
    tx = w3.to_hex(
        w3.eth.send_transaction({"from": chain["payer"], "to": chain["shop"], "value": 5 * 10**16})
    )
    mine(chain)
    payment, _ = check_transaction(svc, invoice_id, tx, w3=w3)
    assert payment.amount == Decimal("121.00")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("wrong_recipient", "wrong_recipient"),
        ("wrong_token", "wrong_token"),
        ("reverted", "failed"),
        ("unconfirmed", "too_few_confirmations"),
        ("unknown", "not_found"),
    ],
)
def test_each_failed_check_has_its_own_message(
    svc: Services, chain: dict[str, Any], case: str, code: str
) -> None:
    invoice_id = issued(svc)
    request_payment(svc, invoice_id, "EURC")
    if case == "wrong_recipient":
        tx = pay_token(chain, "eurc", chain["stranger"], 121_000_000)
    elif case == "wrong_token":
        tx = pay_token(chain, "fake", chain["shop"], 121_000_000)
    elif case == "reverted":
        tx = pay_token(chain, "eurc", chain["shop"], 10**18, gas=200_000)
    elif case == "unconfirmed":
        tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    else:
        tx = "0x" + "ab" * 32
    if case != "unconfirmed":
        mine(chain)
    with pytest.raises(CryptoCheckFailed) as error:
        check_transaction(svc, invoice_id, tx, w3=chain["w3"])
    assert error.value.code == code
    assert svc.payments.list(invoice_id) == ()


@pytest.mark.parametrize("rate", ["abc", "0", "-5", "NaN", "Infinity"])
def test_a_rate_that_is_not_a_positive_number_is_refused_clearly(svc: Services, rate: str) -> None:
    invoice_id = issued(svc)
    with pytest.raises(ValidationError, match="positive number") as error:
        request_payment(svc, invoice_id, "ETH", rate=rate)
    assert error.value.problems[0].field == "rate"
    assert document(svc, invoice_id).crypto_payment is None


def test_too_little_is_a_partial_payment(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc)
    request_payment(svc, invoice_id, "EURC")
    tx = pay_token(chain, "eurc", chain["shop"], 50_000_000)
    mine(chain)
    payment, _ = check_transaction(svc, invoice_id, tx, w3=chain["w3"])
    assert payment.amount == Decimal("50.00")
    assert svc.invoices.get(invoice_id).status == "partially_paid"


def test_a_transaction_pays_one_invoice_only(svc: Services, chain: dict[str, Any]) -> None:
    first, second = issued(svc), issued(svc)
    for invoice_id in (first, second):
        request_payment(svc, invoice_id, "EURC")
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain)
    check_transaction(svc, first, tx, w3=chain["w3"])
    with pytest.raises(CryptoCheckFailed, match="already paid an invoice") as error:
        check_transaction(svc, second, tx, w3=chain["w3"])
    assert error.value.code == "reused"


def test_addresses_and_uris() -> None:
    assert checksum_address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    )
    with pytest.raises(ValidationError, match="checksum"):
        checksum_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
    with pytest.raises(ValidationError, match="not an Ethereum address"):
        checksum_address("0x123")
    eth = Asset("ETH", None, 18)
    assert eip681_uri("0xabc", 1, eth, 10**18) == "ethereum:0xabc@1?value=1000000000000000000"
