"""`invoicer pay watch`: scan new blocks for transfers to the shop and book the ones that pay
an open invoice by their exact amount.

A transfer matches when its amount is exactly the units of an open crypto payment request, or,
for a stablecoin, exactly an open invoice's balance in the coin's currency. It is then checked
and booked by the same code as `pay check-tx` (success, recipient, confirmations, reuse).
Anything else is listed for a person. Blocks are scanned only up to the depth that already has
the required confirmations, and the last block scanned is kept per chain and address, so a
second run starts where the first stopped and books nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from invoicer.domain.money import currency, to_minor
from invoicer.integrations import secrets
from invoicer.integrations.crypto import (
    Asset,
    CryptoCheckFailed,
    Transfer,
    head_block,
    parse_assets,
    transfers_to,
    web3_for,
)
from invoicer.services import payment_requests
from invoicer.services.app import Services
from invoicer.services.payments_bank import open_invoices
from invoicer.services.payments_crypto import (
    check_transaction,
    request_payment,
    require_crypto_settings,
)
from invoicer.store import schema
from invoicer.store.tenancy import shop_of

# A first scan without a cursor looks this far back (about a day and a half on Ethereum).
FIRST_SCAN_BLOCKS = 10_000


@dataclass(frozen=True, slots=True)
class Booked:
    invoice_number: str
    transfer: Transfer
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Unmatched:
    transfer: Transfer
    reason: str


@dataclass(slots=True)
class WatchReport:
    from_block: int
    to_block: int  # from > to: nothing new with enough confirmations yet
    booked: list[Booked] = field(default_factory=list)
    already_booked: list[Transfer] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Candidate:
    invoice_id: str
    invoice_number: str
    request: payment_requests.Request | None  # None: a stablecoin invoice without a request


def scan(
    svc: Services,
    *,
    w3: Any = None,
    from_block: int | None = None,
    max_blocks: int = 2_000,
) -> WatchReport:
    """One pass: from the cursor (or FROM_BLOCK) to the deepest confirmed block, at most
    MAX_BLOCKS blocks; call again to go on."""
    settings = require_crypto_settings()
    assets = parse_assets(settings.crypto_assets)
    if w3 is None:
        w3 = web3_for(
            settings.rpc_url, secrets.optional_secret("rpc_key") if settings.rpc_url else None
        )
    address = settings.receiving_address
    confirmed = head_block(w3) - max(settings.confirmations, 1) + 1
    if from_block is None:
        cursor = _cursor(svc, settings.chain_id, address)
        from_block = cursor + 1 if cursor is not None else max(confirmed - FIRST_SCAN_BLOCKS, 0)
    to_block = min(confirmed, from_block + max(max_blocks, 1) - 1)
    report = WatchReport(from_block, to_block)
    if to_block < from_block:
        return report
    candidates = _candidates(svc, assets)
    booked_ids = svc.payments.external_ids("crypto")
    paid: set[str] = set()  # invoices booked in this pass: a second equal transfer is for a person
    for asset in assets:
        if asset.contract is None and not any(k[0] == asset.symbol for k in candidates):
            continue  # reading every block costs a call each; only when ETH is expected
        for transfer in transfers_to(w3, address, asset, from_block, to_block):
            if f"{settings.chain_id}:{transfer.tx_hash.lower()}" in booked_ids:
                report.already_booked.append(transfer)
                continue
            fits = candidates.get((asset.symbol, transfer.units), [])
            _book(svc, w3, transfer, [c for c in fits if c.invoice_id not in paid], report, paid)
    _save_cursor(svc, settings.chain_id, address, to_block)
    return report


def _book(
    svc: Services,
    w3: Any,
    transfer: Transfer,
    matches: list[_Candidate],
    report: WatchReport,
    paid: set[str],
) -> None:
    if not matches:
        report.unmatched.append(Unmatched(transfer, "no open invoice asks for this amount"))
        return
    if len(matches) > 1:
        numbers = ", ".join(sorted(m.invoice_number for m in matches))
        report.unmatched.append(Unmatched(transfer, f"the amount fits several invoices: {numbers}"))
        return
    match = matches[0]
    try:
        request = match.request or request_payment(svc, match.invoice_id, transfer.asset)
        payment, _ = check_transaction(
            svc, match.invoice_id, transfer.tx_hash, w3=w3, request_id=request.id
        )
    except CryptoCheckFailed as error:
        report.unmatched.append(Unmatched(transfer, str(error)))
        return
    paid.add(match.invoice_id)
    report.booked.append(Booked(match.invoice_number, transfer, payment.amount, payment.currency))


def _candidates(svc: Services, assets: list[Asset]) -> dict[tuple[str, int], list[_Candidate]]:
    """(asset, exact units) -> the open invoices that amount would pay."""
    by_amount: dict[tuple[str, int], list[_Candidate]] = {}
    unpaid = {i.invoice_id: i for i in open_invoices(svc)}
    for request in payment_requests.open_requests(svc, "crypto"):
        invoice = unpaid.get(request.invoice_id)
        if invoice is None:
            continue  # paid or credited meanwhile
        key = (str(request.details["asset"]), int(request.details["units"]))
        by_amount.setdefault(key, []).append(
            _Candidate(invoice.invoice_id, invoice.number, request)
        )
    for asset in assets:
        if asset.contract is None or asset.currency is None:
            continue
        for invoice in unpaid.values():
            if invoice.currency != asset.currency:
                continue
            code = currency(invoice.currency)
            if asset.decimals < code.exponent:
                continue  # the coin cannot carry cents: no exact amount
            units = to_minor(invoice.balance, code) * 10 ** (asset.decimals - code.exponent)
            fits = by_amount.setdefault((asset.symbol, units), [])
            if all(c.invoice_id != invoice.invoice_id for c in fits):  # its request already
                fits.append(_Candidate(invoice.invoice_id, invoice.number, None))
    return by_amount


def _cursor(svc: Services, chain_id: int, address: str) -> int | None:
    with svc.db.read() as session:
        row = session.get(schema.ChainCursor, (shop_of(session), chain_id, address))
        return None if row is None else row.last_block


def _save_cursor(svc: Services, chain_id: int, address: str, block: int) -> None:
    with svc.db.write() as session:
        row = session.get(schema.ChainCursor, (shop_of(session), chain_id, address))
        if row is None:
            session.add(schema.ChainCursor(chain_id=chain_id, address=address, last_block=block))
        elif block > row.last_block:
            row.last_block = block
            row.updated_at = schema.utcnow()
