"""Crypto payments verified on a real EVM (eth-tester in process) with a real ERC-20."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.integrations.crypto import Asset, CryptoCheckFailed, checksum_address, eip681_uri
from invoicer.services.app import Services
from invoicer.services.commands import CryptoRequest, CryptoTransaction
from invoicer.services.documents import document, statement
from invoicer.services.payments_crypto import check_transaction, request_payment
from tests.payments.evm import mine, new_chain, open_crypto_shop, pay_token
from tests.payments.shop import issued


@pytest.fixture(scope="module")
def chain() -> dict[str, Any]:
    return new_chain()


@pytest.fixture
def svc(
    chain: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    services = open_crypto_shop(chain, tmp_path / "c.sqlite", monkeypatch)
    yield services
    services.close()


def test_token_payment_is_verified_and_booked(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc)
    request = request_payment(svc, invoice_id, CryptoRequest(asset="EURC"))
    assert request.details["units"] == 121_000_000
    assert request.url == (
        f"ethereum:{chain['eurc'].address}@{chain['w3'].eth.chain_id}"
        f"/transfer?address={chain['shop']}&uint256=121000000"
    )
    # The request goes on the payment statement; the issued invoice stays as it was issued.
    assert statement(svc, invoice_id).invoice.crypto_payment is not None
    assert document(svc, invoice_id).crypto_payment is None
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain)
    payment, check = check_transaction(
        svc, invoice_id, CryptoTransaction(tx_hash=tx), w3=chain["w3"]
    )
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
    request = request_payment(svc, invoice_id, CryptoRequest(asset="ETH", rate="2420"))
    assert request.details["units"] == 5 * 10**16  # 121.00 EUR / 2420 EUR per ETH = 0.05 ETH
    assert request.url.endswith(f"?value={5 * 10**16}")
    w3 = chain["w3"]
    tx = w3.to_hex(
        w3.eth.send_transaction({"from": chain["payer"], "to": chain["shop"], "value": 5 * 10**16})
    )
    mine(chain)
    payment, _ = check_transaction(svc, invoice_id, CryptoTransaction(tx_hash=tx), w3=w3)
    assert payment.amount == Decimal("121.00")


@pytest.mark.parametrize(
    ("rate", "shown", "units"),
    [
        ("3120.50", "0.038776", 38_776 * 10**12),  # 121.00 / 3120.50 = 0.0387758...
        ("60000", "0.00201667", 201_667 * 10**10),  # a dearer coin: two decimals more
    ],
)
def test_an_eth_request_asks_a_round_amount_that_pays_exactly_the_balance(
    svc: Services, chain: dict[str, Any], rate: str, shown: str, units: int
) -> None:
    invoice_id = issued(svc)
    request = request_payment(svc, invoice_id, CryptoRequest(asset="ETH", rate=rate))
    assert request.details["units"] == units  # rounded up, never less than the balance
    assert request.details["text"].startswith(f"{shown} ETH to ")
    w3 = chain["w3"]
    tx = w3.to_hex(
        w3.eth.send_transaction({"from": chain["payer"], "to": chain["shop"], "value": units})
    )
    mine(chain)
    payment, _ = check_transaction(svc, invoice_id, CryptoTransaction(tx_hash=tx), w3=w3)
    assert payment.amount == Decimal("121.00")  # not a cent over: no overpayment
    assert svc.invoices.get(invoice_id).status == "paid"


def test_check_without_an_rpc_url_says_to_set_it(svc: Services) -> None:
    invoice_id = issued(svc)
    request_payment(svc, invoice_id, CryptoRequest(asset="EURC"))
    with pytest.raises(Conflict, match="rpc_url"):
        check_transaction(svc, invoice_id, CryptoTransaction(tx_hash="0x" + "ab" * 32))
    assert svc.payments.list(invoice_id) == ()


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
    request_payment(svc, invoice_id, CryptoRequest(asset="EURC"))
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
        check_transaction(svc, invoice_id, CryptoTransaction(tx_hash=tx), w3=chain["w3"])
    assert error.value.code == code
    assert svc.payments.list(invoice_id) == ()


@pytest.mark.parametrize("rate", ["abc", "0", "-5", "NaN", "Infinity"])
def test_a_rate_that_is_not_a_positive_number_is_refused_clearly(svc: Services, rate: str) -> None:
    invoice_id = issued(svc)
    with pytest.raises(ValidationError, match="positive number") as error:
        request_payment(svc, invoice_id, CryptoRequest(asset="ETH", rate=rate))
    assert error.value.problems[0].field == "rate"
    assert statement(svc, invoice_id).invoice.crypto_payment is None


def test_too_little_is_a_partial_payment(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc)
    request_payment(svc, invoice_id, CryptoRequest(asset="EURC"))
    tx = pay_token(chain, "eurc", chain["shop"], 50_000_000)
    mine(chain)
    payment, _ = check_transaction(svc, invoice_id, CryptoTransaction(tx_hash=tx), w3=chain["w3"])
    assert payment.amount == Decimal("50.00")
    assert svc.invoices.get(invoice_id).status == "partially_paid"


def test_a_transaction_pays_one_invoice_only(svc: Services, chain: dict[str, Any]) -> None:
    first, second = issued(svc), issued(svc)
    for invoice_id in (first, second):
        request_payment(svc, invoice_id, CryptoRequest(asset="EURC"))
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain)
    check_transaction(svc, first, CryptoTransaction(tx_hash=tx), w3=chain["w3"])
    with pytest.raises(CryptoCheckFailed, match="already paid an invoice") as error:
        check_transaction(svc, second, CryptoTransaction(tx_hash=tx), w3=chain["w3"])
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
