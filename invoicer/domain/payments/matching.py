"""Match received bank credits to open invoices.

In order of certainty: the structured RF reference of the invoice; the invoice number in the
remittance text; the exact open amount from a payer whose name matches the customer. Each open
invoice is matched at most once per statement; anything ambiguous is left for a person.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoicer.domain.payments.reference import compact, rf_reference


@dataclass(frozen=True, slots=True)
class Credit:
    """One incoming amount on a bank statement."""

    entry_id: str  # unique per bank entry: booking twice is detected with it
    booking_date: dt.date
    amount: Decimal
    currency: str
    payer_name: str = ""
    payer_iban: str = ""
    reference: str = ""  # structured creditor reference, if the bank gave one
    text: str = ""  # unstructured remittance information


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    invoice_id: str
    number: str
    customer_name: str
    currency: str
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Match:
    credit: Credit
    invoice: OpenInvoice
    reason: str  # "reference", "number" or "amount and name"


def _fold(text: str) -> str:
    """Lower case, accents removed, letters and digits only (names on statements vary)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).lower()


def _names_match(payer: str, customer: str) -> bool:
    a, b = _fold(payer), _fold(customer)
    return bool(a and b) and (a in b or b in a)


def match_credits(
    received: Sequence[Credit], invoices: Sequence[OpenInvoice]
) -> tuple[list[Match], list[Credit]]:
    by_reference = {rf_reference(inv.number): inv for inv in invoices}
    by_number = {compact(inv.number): inv for inv in invoices}
    taken: set[str] = set()
    matches: list[Match] = []
    unmatched: list[Credit] = []
    for credit in received:
        found: tuple[OpenInvoice, str] | None = None
        reference = compact(credit.reference or "")
        if reference in by_reference:
            found = (by_reference[reference], "reference")
        else:
            text = compact(f"{credit.reference} {credit.text}")
            hits = [inv for key, inv in by_number.items() if key and key in text]
            rf_hits = [inv for key, inv in by_reference.items() if key in text]
            if len(rf_hits) == 1:
                found = (rf_hits[0], "reference")
            elif len(hits) == 1:
                found = (hits[0], "number")
            elif not hits:
                candidates = [
                    inv
                    for inv in invoices
                    if inv.balance == credit.amount
                    and inv.currency == credit.currency
                    and inv.invoice_id not in taken
                    and _names_match(credit.payer_name, inv.customer_name)
                ]
                if len(candidates) == 1:
                    found = (candidates[0], "amount and name")
        if found is None or found[0].invoice_id in taken or found[0].currency != credit.currency:
            unmatched.append(credit)
            continue
        taken.add(found[0].invoice_id)
        matches.append(Match(credit, found[0], found[1]))
    return matches, unmatched
