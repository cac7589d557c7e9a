"""The words every front-end shows for the same thing: status names and the sentences that
report what an action did. The CLI, the terminal UI and the desktop app take them from here,
so a partly paid invoice is "Part paid" everywhere and an import is summed up alike.

Money in these sentences is written by the one formatter (invoicer.domain.amounts) in the
caller's locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicer.domain.amounts import DEFAULT_LOCALE, format_money

STATUS_LABELS = {
    "draft": "Draft",
    "open": "Open",
    "partially_paid": "Part paid",  # fits the 9-character status columns of the TUI
    "paid": "Paid",
    "overdue": "Overdue",
    "credited": "Credited",
    "issued": "Issued",
}


def status_label(status: str) -> str:
    """The name of a status ("Part paid" for partially_paid); an unknown one as it is."""
    return STATUS_LABELS.get(status, status)


def issued(
    number: str | None,
    gross: Decimal,
    currency: str,
    due_date: dt.date | None,
    *,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """After issuing: `Issued INV-2026-000001: 1,234.50 EUR, due 2026-03-30.`"""
    due = f", due {due_date.isoformat()}" if due_date else ""
    return f"Issued {number}: {format_money(gross, currency, locale=locale)}{due}."


def statement_summary(report: Any) -> str:
    """A bank statement import (invoicer.services.payments_bank.StatementReport)."""
    return (
        f"Booked {len(report.booked)} payment(s); {len(report.already_booked)} were "
        f"already booked; {len(report.unmatched)} need a person."
    )


def transaction_booked(payment: Any, check: Any, *, locale: str = DEFAULT_LOCALE) -> str:
    """A crypto transaction checked on chain and booked (views.Payment, TxCheck)."""
    amount = format_money(payment.amount, payment.currency, locale=locale)
    return (
        f"Booked {amount} from {check.tx_hash} "
        f"(block {check.block}, {check.confirmations} confirmations)."
    )


def blocks_summary(report: Any) -> str:
    """One scan for crypto payments (invoicer.services.payments_watch.WatchReport)."""
    if report.to_block < report.from_block:
        return f"No new confirmed blocks yet (next: {report.from_block})."
    return (
        f"Blocks {report.from_block}-{report.to_block}: {len(report.booked)} payment(s) booked, "
        f"{len(report.already_booked)} already booked, {len(report.unmatched)} not matched."
    )
