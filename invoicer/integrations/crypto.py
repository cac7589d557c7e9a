"""Crypto payments: EIP-681 payment requests and on-chain verification with web3.

A payment counts only when the transaction succeeded, paid the shop's address (for a token:
a Transfer event of the configured contract to that address), carries enough confirmations,
and was not used for another invoice before (the caller checks that against its bookings).
Amounts are integers of the asset's smallest unit (wei, or 10^-decimals of the token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from invoicer.domain.errors import InvoicerError, ValidationError

TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"  # Transfer()


@dataclass(frozen=True, slots=True)
class Asset:
    symbol: str
    contract: str | None  # None: the chain's native coin (ETH)
    decimals: int
    currency: str | None = None  # the fiat currency a stablecoin follows (EUR for EURC)


@dataclass(frozen=True, slots=True)
class TxCheck:
    tx_hash: str
    block: int
    confirmations: int
    units: int  # paid to us, in the asset's smallest unit


class CryptoCheckFailed(InvoicerError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def checksum_address(text: str, *, field: str = "receiving_address") -> str:
    from eth_utils.address import is_address, is_checksum_address, to_checksum_address

    value = (text or "").strip()
    if not is_address(value):
        raise ValidationError.single(
            field, "invalid_address", f"{value!r} is not an Ethereum address (0x + 40 hex digits)."
        )
    if value != value.lower() and value[2:] != value[2:].upper() and not is_checksum_address(value):
        raise ValidationError.single(
            field, "bad_checksum", f"{value} has a wrong checksum (a typo?)."
        )
    return str(to_checksum_address(value))


def parse_assets(text: str) -> list[Asset]:
    """ "ETH, EURC:0xContract:6:EUR, USDC:0xContract:6:USD" -> assets."""
    assets = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        bits = item.split(":")
        if len(bits) == 1:
            assets.append(Asset(bits[0].upper(), None, 18))
            continue
        if len(bits) != 4 or not bits[2].isdigit():
            raise ValidationError.single(
                "crypto_assets",
                "invalid",
                f"{item!r}: write SYMBOL or SYMBOL:CONTRACT:DECIMALS:CURRENCY.",
            )
        assets.append(
            Asset(
                bits[0].upper(),
                checksum_address(bits[1], field="crypto_assets"),
                int(bits[2]),
                bits[3].upper(),
            )
        )
    return assets


def eip681_uri(recipient: str, chain_id: int, asset: Asset, units: int) -> str:
    """ethereum:0x..@chain?value=wei, or ethereum:token@chain/transfer?address=..&uint256=.."""
    if asset.contract is None:
        return f"ethereum:{recipient}@{chain_id}?value={units}"
    return f"ethereum:{asset.contract}@{chain_id}/transfer?address={recipient}&uint256={units}"


def web3_for(rpc_url: str, rpc_key: str | None = None) -> Any:
    from web3 import Web3

    url = rpc_url.rstrip("/") + (f"/{rpc_key}" if rpc_key else "")
    return Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 20}))


def _unreachable() -> CryptoCheckFailed:
    # Never the URL or the library's message: the RPC key travels in the URL.
    return CryptoCheckFailed(
        "unreachable",
        "Could not reach the blockchain node; check the rpc_url setting, the rpc_key secret "
        "and the internet connection.",
    )


def verify(w3: Any, tx_hash: str, *, recipient: str, asset: Asset, confirmations: int) -> TxCheck:
    from requests.exceptions import RequestException
    from web3.exceptions import TransactionNotFound

    try:
        receipt = w3.eth.get_transaction_receipt(tx_hash)
        tx = w3.eth.get_transaction(tx_hash)
    except TransactionNotFound:
        raise CryptoCheckFailed(
            "not_found",
            f"Transaction {tx_hash} is not on the chain "
            "(yet); check the hash or wait until it is mined.",
        ) from None
    except ValueError:
        raise CryptoCheckFailed("not_found", f"{tx_hash!r} is not a transaction hash.") from None
    except (RequestException, OSError):
        raise _unreachable() from None
    if receipt["status"] != 1:
        raise CryptoCheckFailed(
            "failed", f"Transaction {tx_hash} failed on chain (reverted); nothing was paid."
        )
    try:
        seen = w3.eth.block_number - receipt["blockNumber"] + 1
    except (RequestException, OSError):
        raise _unreachable() from None
    if asset.contract is None:
        if (tx["to"] or "").lower() != recipient.lower():
            raise CryptoCheckFailed(
                "wrong_recipient", f"Transaction {tx_hash} paid {tx['to']}, not the shop's address."
            )
        units = int(tx["value"])
    else:
        units = 0
        other_tokens = False
        for log in receipt["logs"]:
            topics = [bytes(t).hex().removeprefix("0x") for t in log["topics"]]
            if not topics or topics[0] != TRANSFER_TOPIC or len(topics) < 3:
                continue
            if log["address"].lower() != asset.contract.lower():
                other_tokens = True
                continue
            to = "0x" + topics[2][-40:]
            if to.lower() == recipient.lower():
                units += int.from_bytes(bytes(log["data"]), "big")
        if units == 0:
            if other_tokens:
                raise CryptoCheckFailed(
                    "wrong_token",
                    f"Transaction {tx_hash} moved another token, "
                    f"not {asset.symbol} ({asset.contract}).",
                )
            raise CryptoCheckFailed(
                "wrong_recipient",
                f"Transaction {tx_hash} has no {asset.symbol} transfer to the shop's address.",
            )
    if seen < confirmations:
        raise CryptoCheckFailed(
            "too_few_confirmations",
            f"Transaction {tx_hash} has {seen} confirmation(s); {confirmations} "
            "are required. Check again later.",
        )
    return TxCheck(tx_hash, int(receipt["blockNumber"]), seen, units)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A successful transfer of an asset to an address, seen in a block."""

    asset: str
    tx_hash: str
    block: int
    units: int


def head_block(w3: Any) -> int:
    from requests.exceptions import RequestException

    try:
        return int(w3.eth.block_number)
    except (RequestException, OSError):
        raise _unreachable() from None


def transfers_to(
    w3: Any, recipient: str, asset: Asset, from_block: int, to_block: int
) -> list[Transfer]:
    """Transfers of ASSET to RECIPIENT in blocks FROM_BLOCK..TO_BLOCK (both included).

    Tokens come from the node's log index (one eth_getLogs call for the range); the native
    coin has no log, so each block is read with its transactions. Reverted transactions move
    nothing: a token revert leaves no log, and a reverted ETH transfer is dropped by its
    receipt's status (the only extra call, made just for transfers to us)."""
    from requests.exceptions import RequestException

    try:
        if asset.contract is not None:
            return _token_transfers(w3, recipient, asset, from_block, to_block)
        return _native_transfers(w3, recipient, asset, from_block, to_block)
    except (RequestException, OSError):
        raise _unreachable() from None


def _token_transfers(
    w3: Any, recipient: str, asset: Asset, from_block: int, to_block: int
) -> list[Transfer]:
    topic_to = "0x" + recipient.lower().removeprefix("0x").rjust(64, "0")
    logs = w3.eth.get_logs(
        {
            "fromBlock": from_block,
            "toBlock": to_block,
            "address": asset.contract,
            "topics": ["0x" + TRANSFER_TOPIC, None, topic_to],
        }
    )
    found: dict[str, Transfer] = {}
    for log in logs:
        tx_hash = "0x" + bytes(log["transactionHash"]).hex().removeprefix("0x")
        units = int.from_bytes(bytes(log["data"]), "big")
        seen = found.get(tx_hash)
        # Several Transfer events to us in one transaction pay together, as verify() counts them.
        total = units + (seen.units if seen else 0)
        found[tx_hash] = Transfer(asset.symbol, tx_hash, int(log["blockNumber"]), total)
    return list(found.values())


def _native_transfers(
    w3: Any, recipient: str, asset: Asset, from_block: int, to_block: int
) -> list[Transfer]:
    found = []
    for number in range(from_block, to_block + 1):
        block = w3.eth.get_block(number, full_transactions=True)
        for tx in block["transactions"]:
            if (tx["to"] or "").lower() != recipient.lower() or int(tx["value"]) == 0:
                continue
            tx_hash = "0x" + bytes(tx["hash"]).hex().removeprefix("0x")
            if w3.eth.get_transaction_receipt(tx_hash)["status"] != 1:
                continue
            found.append(Transfer(asset.symbol, tx_hash, number, int(tx["value"])))
    return found
