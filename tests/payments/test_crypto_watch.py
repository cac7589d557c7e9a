"""`pay watch`: new blocks scanned for transfers to the shop, booked by exact amount."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicer.integrations.crypto import CryptoCheckFailed
from invoicer.services.app import Services
from invoicer.services.commands import CryptoRequest
from invoicer.services.payments_crypto import request_payment
from invoicer.services.payments_watch import scan
from tests.cli.conftest import Cli
from tests.payments import eth_rpc
from tests.payments.evm import mine, new_chain, open_crypto_shop, pay_token
from tests.payments.shop import issued


@pytest.fixture
def chain() -> dict[str, Any]:
    return new_chain()  # a chain per test: a scan reads every block since the last


@pytest.fixture
def svc(
    chain: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    services = open_crypto_shop(chain, tmp_path / "w.sqlite", monkeypatch)
    yield services
    services.close()


def pay_eth(chain: dict[str, Any], to: str, wei: int) -> str:
    tx = chain["w3"].eth.send_transaction({"from": chain["payer"], "to": to, "value": wei})
    return str(chain["w3"].to_hex(tx))


def test_a_stablecoin_transfer_of_an_open_balance_is_booked_once(
    svc: Services, chain: dict[str, Any]
) -> None:
    first = issued(svc, "Jan Jansen", "100.00")  # 121.00
    second = issued(svc, "Piet Pietersen", "50.00")  # 60.50
    tx = pay_token(chain, "eurc", chain["shop"], 60_500_000)
    pay_token(chain, "eurc", chain["stranger"], 121_000_000)  # not to us
    pay_token(chain, "fake", chain["shop"], 121_000_000)  # a token we do not accept
    mine(chain, 3)

    report = scan(svc, w3=chain["w3"])

    assert [(b.invoice_number, b.amount, b.transfer.tx_hash) for b in report.booked] == [
        (svc.invoices.get(second).number, Decimal("60.50"), tx.lower())
    ]
    assert report.unmatched == []
    assert svc.invoices.get(second).status == "paid"
    assert svc.invoices.get(first).status != "paid"
    payment = svc.payments.list(second)[0]
    assert payment.method == "crypto"
    assert payment.extra is not None
    assert payment.extra["asset"] == "EURC"

    again = scan(svc, w3=chain["w3"])  # the cursor moved on: nothing new
    assert again.from_block == report.to_block + 1
    assert again.booked == []
    rescanned = scan(svc, w3=chain["w3"], from_block=0)  # the same blocks read again
    assert rescanned.booked == []
    assert [t.tx_hash for t in rescanned.already_booked] == [tx.lower()]
    assert len(svc.payments.list(second)) == 1


def test_eth_matches_the_units_of_an_open_request(svc: Services, chain: dict[str, Any]) -> None:
    invoice_id = issued(svc, "Jan Jansen", "100.00")
    request = request_payment(svc, invoice_id, CryptoRequest(asset="ETH", rate="2420"))  # 0.05 ETH
    odd = pay_eth(chain, chain["shop"], 4 * 10**16)
    tx = pay_eth(chain, chain["shop"], int(request.details["units"]))
    mine(chain, 3)

    report = scan(svc, w3=chain["w3"])

    assert [b.transfer.tx_hash for b in report.booked] == [tx.lower()]
    assert svc.invoices.get(invoice_id).status == "paid"
    assert [(u.transfer.tx_hash, u.reason) for u in report.unmatched] == [
        (odd.lower(), "no open invoice asks for this amount")
    ]


def test_an_amount_that_fits_two_invoices_is_left_to_a_person(
    svc: Services, chain: dict[str, Any]
) -> None:
    ids = [issued(svc, "Jan Jansen", "100.00"), issued(svc, "Piet Pietersen", "100.00")]
    pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain, 3)

    report = scan(svc, w3=chain["w3"])

    assert report.booked == []
    (item,) = report.unmatched
    assert item.reason.startswith("the amount fits several invoices: INV-")
    assert [svc.invoices.get(i).status for i in ids] == ["open", "open"]


def test_a_second_equal_transfer_does_not_pay_the_same_invoice_twice(
    svc: Services, chain: dict[str, Any]
) -> None:
    invoice_id = issued(svc, "Jan Jansen", "100.00")
    pay_token(chain, "eurc", chain["shop"], 121_000_000)
    pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain, 3)

    report = scan(svc, w3=chain["w3"])

    assert len(report.booked) == 1
    assert len(report.unmatched) == 1
    assert len(svc.payments.list(invoice_id)) == 1


def test_blocks_without_enough_confirmations_wait_for_the_next_scan(
    svc: Services, chain: dict[str, Any]
) -> None:
    invoice_id = issued(svc, "Jan Jansen", "100.00")
    scan(svc, w3=chain["w3"])  # sets the cursor at the confirmed head
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)  # mined in the head block

    tx_block = chain["w3"].eth.get_transaction_receipt(tx)["blockNumber"]
    early = scan(svc, w3=chain["w3"])
    assert early.booked == []
    assert early.to_block < tx_block  # one confirmation of three: not read yet
    assert svc.invoices.get(invoice_id).status == "open"

    mine(chain, 2)  # the transfer's block now has 3 confirmations
    later = scan(svc, w3=chain["w3"])
    assert [b.transfer.tx_hash for b in later.booked] == [tx.lower()]


def test_max_blocks_bounds_a_scan_and_the_next_goes_on(
    svc: Services, chain: dict[str, Any]
) -> None:
    mine(chain, 10)
    head = chain["w3"].eth.block_number
    first = scan(svc, w3=chain["w3"], from_block=0, max_blocks=4)
    second = scan(svc, w3=chain["w3"], max_blocks=4)
    assert (first.from_block, first.to_block) == (0, 3)
    assert (second.from_block, second.to_block) == (4, 7)
    assert second.to_block <= head - 3 + 1


@pytest.mark.usefixtures("memory_keyring")
def test_watch_needs_a_receiving_address_and_a_node(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from invoicer.services.app import open_services

    open_services(tmp_path / "cli.sqlite").close()  # a database (only init and demo make one)
    invoicer = Cli(tmp_path / "cli.sqlite", capsys)
    monkeypatch.delenv("INVOICER_RECEIVING_ADDRESS", raising=False)
    code, out, err = invoicer("pay", "watch", "--once", ok=False)
    assert code == 1
    assert "receiving address" in err
    assert "Traceback" not in out + err

    monkeypatch.setenv("INVOICER_RECEIVING_ADDRESS", "0x" + "ab" * 20)
    monkeypatch.setenv("INVOICER_RPC_URL", "http://127.0.0.1:9/rpc")  # nothing listens there
    code, out, err = invoicer("pay", "watch", "--once", ok=False)
    assert code == 1
    assert "Could not reach the blockchain node" in err
    assert "Traceback" not in out + err


def test_unreachable_node_is_a_crypto_failure() -> None:
    from invoicer.integrations.crypto import head_block, web3_for

    with pytest.raises(CryptoCheckFailed, match="Could not reach"):
        head_block(web3_for("http://127.0.0.1:9"))


@pytest.mark.usefixtures("memory_keyring")
def test_cli_watch_books_through_the_nodes_json_rpc(
    chain: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = open_crypto_shop(chain, tmp_path / "cli.sqlite", monkeypatch)
    invoice_id = issued(services, "Jan Jansen", "100.00")
    number = services.invoices.get(invoice_id).number
    services.close()
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    odd = pay_token(chain, "eurc", chain["shop"], 5_000_000)
    mine(chain, 3)
    invoicer = Cli(tmp_path / "cli.sqlite", capsys)
    with eth_rpc.serving(chain["w3"]) as url:
        monkeypatch.setenv("INVOICER_RPC_URL", url)
        _, out, _ = invoicer("pay", "watch", "--once")
        assert f"{number}: 121.00 EUR (EURC, {tx.lower()}" in out
        assert f"not matched: 5000000 units of EURC in {odd.lower()}" in out
        again = invoicer.json("pay", "watch", "--once")
    assert again["booked"] == []
    assert again["from_block"] > again["to_block"] or again["unmatched"] == []
    with open_crypto_shop(chain, tmp_path / "cli.sqlite", monkeypatch) as reopened:
        assert reopened.invoices.get(invoice_id).status == "paid"


@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize("command", ["watch", "check-tx"])
def test_crypto_commands_run_without_a_keyring_when_no_rpc_key_is_needed(
    chain: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    """docs/settings.md: without a keyring everything that needs no secret keeps working; a
    node without a key needs no rpc_key."""
    services = open_crypto_shop(chain, tmp_path / "cli.sqlite", monkeypatch)
    invoice_id = issued(services, "Jan Jansen", "100.00")
    request_payment(services, invoice_id, CryptoRequest(asset="EURC"))
    services.close()
    tx = pay_token(chain, "eurc", chain["shop"], 121_000_000)
    mine(chain, 3)
    invoicer = Cli(tmp_path / "cli.sqlite", capsys)
    with eth_rpc.serving(chain["w3"]) as url:
        monkeypatch.setenv("INVOICER_RPC_URL", url)
        args = ["watch", "--once"] if command == "watch" else ["check-tx", invoice_id, tx]
        _, _out, err = invoicer("pay", *args)
    assert "keyring" not in err.lower()
    with open_crypto_shop(chain, tmp_path / "cli.sqlite", monkeypatch) as reopened:
        assert reopened.invoices.get(invoice_id).status == "paid"
