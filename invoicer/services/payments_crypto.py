"""Crypto payment requests for invoices and the on-chain check that books them."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal
from typing import Any

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, ValidationError
from invoicer.domain.money import currency, from_minor, parse_decimal, to_minor
from invoicer.integrations.crypto import (
    Asset,
    CryptoCheckFailed,
    TxCheck,
    checksum_address,
    eip681_uri,
    parse_assets,
    verify,
    web3_for,
)
from invoicer.services import payment_requests, views
from invoicer.services.app import Services
from invoicer.services.commands import (
    CryptoRequest,
    CryptoTransaction,
    NewPaymentRequest,
    RecordPayment,
)
from invoicer.services.settings import Settings


def require_crypto_settings(svc: Services) -> Settings:
    settings = svc.ctx.require_settings()
    if not settings.receiving_address:
        raise Conflict(
            "Set the shop's receiving address first: Settings → Payments, or "
            "`invoicer settings set receiving_address=0x...`."
        )
    return settings


def _asset(settings: Settings, symbol: str) -> Asset:
    for asset in parse_assets(settings.crypto_assets):
        if asset.symbol == symbol.upper():
            return asset
    raise ValidationError.single(
        "asset", "not_accepted", f"{symbol} is not an accepted coin ({settings.crypto_assets})."
    )


def request_payment(
    svc: Services, invoice_id: str, wanted: CryptoRequest
) -> payment_requests.Request:
    """An EIP-681 request for the balance: a stablecoin in the invoice's currency, or ETH at
    `rate` (units of the invoice currency per ETH), which is stored with the request."""
    rate = wanted.rate
    if not isinstance(wanted.asset, str) or not wanted.asset.strip():
        raise ValidationError.single("asset", "required", "Choose the coin to be paid in.")
    settings = require_crypto_settings(svc)
    asset = _asset(settings, wanted.asset.strip())
    invoice = svc.invoices.get(invoice_id)
    if invoice.number is None or invoice.kind != "invoice" or invoice.balance <= 0:
        raise Conflict("A payment request needs an issued invoice with something left to pay.")
    if asset.contract is None:
        if rate is None:
            raise ValidationError.single(
                "rate",
                "required",
                f"Give the exchange rate: {invoice.currency} per {asset.symbol}.",
            )
        try:
            price = parse_decimal(rate, field="rate", locale=locale_for(invoice.language))
        except ValidationError as exc:
            if exc.problems[0].code == "ambiguous":
                raise  # it says how it would read it
            price = Decimal(0)  # not a number: the same message as a non-positive rate
        if not price.is_finite() or price <= 0:
            raise ValidationError.single(
                "rate", "invalid", "The exchange rate must be a positive number, e.g. 3120.50."
            )
        units = _rounded_up_units(invoice.balance, price, asset.decimals, invoice.currency)
    else:
        if asset.currency != invoice.currency:
            raise ValidationError.single(
                "asset",
                "currency",
                f"{asset.symbol} follows {asset.currency}; the invoice is in {invoice.currency}.",
            )
        price = Decimal(1)
        units = int(invoice.balance * Decimal(10) ** asset.decimals)
    uri = eip681_uri(settings.receiving_address, settings.chain_id, asset, units)
    shown = Decimal(units) / Decimal(10) ** asset.decimals
    text = (
        f"{shown.normalize():f} {asset.symbol} to {settings.receiving_address} "
        f"(chain {settings.chain_id})"
    )
    return payment_requests.add(
        svc,
        invoice.id,
        NewPaymentRequest(
            provider="crypto",
            external_id=f"{invoice.id}:{asset.symbol}:{units}",
            url=uri,
            amount_minor=to_minor(invoice.balance, currency(invoice.currency)),
            currency=invoice.currency,
            details={
                "asset": asset.symbol,
                "contract": asset.contract,
                "decimals": asset.decimals,
                "units": units,
                "rate": str(price),
                "text": text,
                "chain_id": settings.chain_id,
            },
        ),
    )


def _rounded_up_units(balance: Decimal, price: Decimal, decimals: int, code: str) -> int:
    """The balance in the coin's smallest units, rounded up to a round step: a wallet shows
    0.044545 ETH rather than 0.044544143566736100. The step is the largest power of ten worth
    less than half of the invoice currency's minor unit, so the payment still converts back to
    exactly the balance."""
    exact = balance / price * Decimal(10) ** decimals
    half_minor = Decimal(1).scaleb(-currency(code).exponent) / 2
    worth_less = half_minor / price * Decimal(10) ** decimals  # units worth half a cent
    step = 10 ** max(len(str(int(worth_less))) - 1, 0) if worth_less >= 1 else 1
    if step == worth_less:  # a power of ten worth exactly half a cent would round up
        step //= 10
    return int((exact / step).to_integral_value(ROUND_UP)) * step


def check_transaction(
    svc: Services, invoice_id: str, transaction: CryptoTransaction, *, w3: Any = None
) -> tuple[views.Payment, TxCheck]:
    """Verify the transaction on chain against the invoice's crypto request (the latest, or
    the one named) and book it. `w3`: a web3 connection (tests); default: the rpc_url's."""
    tx_hash, request_id = transaction.tx_hash, transaction.request_id
    if not isinstance(tx_hash, str) or not tx_hash.strip():
        raise ValidationError.single(
            "tx_hash", "required", "Paste the transaction hash (0x followed by 64 hex digits)."
        )
    settings = require_crypto_settings(svc)
    invoice = svc.invoices.get(invoice_id)
    requests = payment_requests.for_invoice(svc, invoice.id, "crypto")
    if not requests:
        raise Conflict(f"{invoice.number} has no crypto payment request; create one first.")
    request = next((r for r in requests if r.id == request_id), requests[-1])
    tx_hash = tx_hash.strip().lower()
    external_id = f"{settings.chain_id}:{tx_hash}"
    if external_id in svc.payments.external_ids("crypto"):
        raise CryptoCheckFailed(
            "reused",
            f"Transaction {tx_hash} already paid an invoice; one transaction pays one invoice.",
        )
    asset = _asset(settings, str(request.details["asset"]))
    if w3 is None:
        if not settings.rpc_url:  # else web3 fails in a way that reads like a bad hash
            raise Conflict(
                "Set the blockchain node first: the RPC URL in Settings → Payments, or "
                "`invoicer settings set rpc_url=https://...`."
            )
        w3 = web3_for(settings.rpc_url, svc.ctx.secrets.optional_secret("rpc_key"))
    check = verify(
        w3,
        tx_hash,
        recipient=settings.receiving_address,
        asset=asset,
        confirmations=settings.confirmations,
    )
    cur = currency(invoice.currency)
    paid = (
        Decimal(check.units) / Decimal(10) ** asset.decimals * Decimal(str(request.details["rate"]))
    )
    amount = from_minor(to_minor(paid, cur), cur)
    if amount <= 0:
        raise CryptoCheckFailed("too_little", "The transaction paid less than one cent.")
    payment = svc.payments.add(
        invoice.id,
        RecordPayment(
            amount=amount,
            method="crypto",
            reference=tx_hash,
            external_id=external_id,
            overpayment=amount > invoice.balance,
            details={
                "chain_id": settings.chain_id,
                "tx_hash": tx_hash,
                "block": check.block,
                "units": str(check.units),
                "asset": asset.symbol,
            },
        ),
    )
    if amount >= invoice.balance:
        payment_requests.set_status(svc, request.id, "paid")
    return payment, check


def receiving_address(text: str) -> str:
    return checksum_address(text)
