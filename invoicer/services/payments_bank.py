"""Import a bank statement: book the credits that match open invoices, list the rest."""

from __future__ import annotations

from dataclasses import dataclass

from invoicer.domain.errors import Conflict
from invoicer.domain.payments.matching import Credit, Match, OpenInvoice, match_credits
from invoicer.integrations.bank_statements import parse_statement
from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment


@dataclass(frozen=True, slots=True)
class StatementReport:
    booked: tuple[Match, ...]
    already_booked: tuple[Credit, ...]
    unmatched: tuple[Credit, ...]


def open_invoices(svc: Services) -> list[OpenInvoice]:
    result: list[OpenInvoice] = []
    for status in ("open", "partially_paid", "overdue"):
        offset = 0
        while True:
            page = svc.invoices.list(status=status, offset=offset, limit=500)
            result += [
                OpenInvoice(i.id, i.number or "", i.customer_name, i.currency, i.balance)
                for i in page.items
            ]
            offset += len(page.items)
            # A capped count ("10,000+") is no end: read on until a page comes back empty.
            if not page.items or (offset >= page.total and not page.total_capped):
                break
    return result


def import_statement(svc: Services, data: bytes) -> StatementReport:
    """Importing the same statement twice books nothing twice (the entry id is kept)."""
    received = parse_statement(data, locale=svc.shop.locale())
    booked_ids = svc.payments.external_ids("bank_transfer")
    fresh = [c for c in received if c.entry_id not in booked_ids]
    already = tuple(c for c in received if c.entry_id in booked_ids)
    matches, unmatched = match_credits(fresh, open_invoices(svc))
    booked: list[Match] = []
    for match in matches:
        credit = match.credit
        try:
            svc.payments.add(
                match.invoice.invoice_id,
                RecordPayment(
                    amount=credit.amount,
                    date=credit.booking_date,
                    method="bank_transfer",
                    reference=credit.reference or credit.text[:140] or None,
                    external_id=credit.entry_id,
                    overpayment=credit.amount > match.invoice.balance,
                    details={
                        "payer": credit.payer_name,
                        "payer_iban": credit.payer_iban,
                        "matched_by": match.reason,
                    },
                ),
            )
        except Conflict:
            unmatched.append(credit)
            continue
        booked.append(match)
    return StatementReport(tuple(booked), already, tuple(unmatched))
