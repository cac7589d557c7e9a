"""Getting paid from the TUI: the same service calls as `invoicer pay ...` (invoicer/cli/pay.py).

Every function here runs inside a thread worker (they talk to Stripe, a blockchain node or read
a file) and imports its service lazily, so the libraries (stripe, web3) load only when used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invoicer.domain.errors import ValidationError
from ui_tui import format as fmt


@dataclass(frozen=True)
class CheckedTransaction:
    payment: Any
    check: Any


def stripe_link(app: Any, invoice_id: str) -> Any:
    from invoicer.services.payments_stripe import create_link

    return create_link(app.services, invoice_id)


def stripe_refresh(app: Any) -> Any:
    from invoicer.services.payments_stripe import refresh

    return refresh(app.services)


def scan_chain(app: Any) -> Any:
    """One `pay watch` pass: the confirmed blocks since the last scan."""
    from invoicer.services.payments_watch import scan

    return scan(app.services, w3=app.chain)


def scan_summary(report: Any) -> str:
    from invoicer.services.labels import blocks_summary

    text = f"Crypto payments: {blocks_summary(report)}"
    if report.booked:
        text += (
            " Booked "
            + "; ".join(
                f"{b.invoice_number} {fmt.money(b.amount, b.currency)}" for b in report.booked
            )
            + "."
        )
    if report.unmatched:
        text += f" {len(report.unmatched)} transfer(s) not matched; check them with t."
    return text


def accepted_assets() -> tuple[str, ...]:
    """The coins the settings accept (ETH and configured tokens), for the request dialog."""
    from invoicer.integrations.crypto import parse_assets
    from invoicer.services.settings import SettingsService

    return tuple(asset.symbol for asset in parse_assets(SettingsService().get().crypto_assets))


def crypto_request(app: Any, invoice_id: str, asset: str | None, rate: Any) -> Any:
    from invoicer.services.commands import CryptoRequest
    from invoicer.services.payments_crypto import request_payment

    if not asset:
        raise ValidationError.single("asset", "required", "Choose the coin to be paid in.")
    wanted = CryptoRequest(asset=asset, rate=None if rate is None else str(rate))
    return request_payment(app.services, invoice_id, wanted)


def check_transaction(app: Any, invoice_id: str, tx_hash: str | None) -> CheckedTransaction:
    from invoicer.services.commands import CryptoTransaction
    from invoicer.services.payments_crypto import check_transaction as check

    if not tx_hash:
        raise ValidationError.single(
            "tx_hash", "required", "Paste the transaction hash (0x followed by 64 hex digits)."
        )
    # app.chain: a web3 connection handed in by tests (eth-tester); None uses rpc_url.
    payment, result = check(
        app.services, invoice_id, CryptoTransaction(tx_hash=tx_hash), w3=app.chain
    )
    return CheckedTransaction(payment, result)


def import_statement(app: Any, file: str | None) -> Any:
    from invoicer.services.payments_bank import import_statement as run_import

    if not file:
        raise ValidationError.single("file", "required", "Enter the path of the statement file.")
    path = Path(file).expanduser()
    if not path.is_file():
        raise ValidationError.single("file", "not_found", f"There is no file at {path}.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError.single(
            "file", "unreadable", f"Could not read {path}: {error.strerror}."
        ) from None
    return run_import(app.services, data)


def requests_of(app: Any, invoice_id: str) -> tuple[Any, ...]:
    """The payment links and crypto requests offered on an invoice, oldest first."""
    from invoicer.services import payment_requests

    return tuple(payment_requests.for_invoice(app.services, invoice_id))


def refresh_summary(report: Any) -> str:
    paid = ", ".join(report.paid) or "none"
    return f"Card payments: paid {paid}; still open {report.still_open}; expired {report.expired}."
