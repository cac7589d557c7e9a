"""Import a bank statement: book the credits that match open invoices, list the rest."""

from __future__ import annotations

from dataclasses import dataclass

from invoicer.domain.errors import Conflict
from invoicer.domain.money import currency, to_minor
from invoicer.domain.payments.matching import Credit, Match, OpenInvoice, match_credits
from invoicer.domain.payments.reference import compact, is_rf_reference, rf_reference
from invoicer.integrations.bank_statements import parse_statement
from invoicer.services.app import Services
from invoicer.services.commands import RecordPayment


@dataclass(frozen=True, slots=True)
class StatementReport:
    booked: tuple[Match, ...]
    already_booked: tuple[Credit, ...]
    unmatched: tuple[Credit, ...]
    # Of already_booked: credits a provider's webhook had booked (credit, that payment's id).
    matched: tuple[tuple[Credit, str], ...] = ()


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
    matched: list[tuple[Credit, str]] = []
    rest: list[Credit] = []
    for credit in fresh:  # paid already by a provider's webhook: the invoice is not open now
        paid_by = _provider_twin(svc, credit)
        if paid_by is None:
            rest.append(credit)
        else:
            matched.append((credit, paid_by))
    matches, unmatched = match_credits(rest, open_invoices(svc))
    booked: list[Match] = []
    for match in matches:
        credit = match.credit
        twin = svc.payments.same_money(
            match.invoice.invoice_id,
            to_minor(credit.amount, currency(match.invoice.currency)),
            by_provider=False,
        )
        if twin is not None:  # reported by the provider's webhook already: the same money
            matched.append((credit, twin.id))
            continue
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
    already += tuple(credit for credit, _ in matched)
    return StatementReport(tuple(booked), already, tuple(unmatched), tuple(matched))


def _provider_twin(svc: Services, credit: Credit) -> str | None:
    """The webhook-booked payment this credit is, if its RF reference names an invoice that
    has one for the same amount (docs/payments.md)."""
    if not credit.reference or not is_rf_reference(credit.reference):
        return None
    invoice_id = invoice_for_reference(svc, credit.reference)
    if invoice_id is None:
        return None
    invoice = svc.invoices.get(invoice_id)
    if invoice.currency != credit.currency:
        return None
    twin = svc.payments.same_money(
        invoice_id, to_minor(credit.amount, currency(invoice.currency)), by_provider=False
    )
    return twin.id if twin else None


def invoice_for_reference(svc: Services, reference: str) -> str | None:
    """The invoice whose number, or whose RF reference (ISO 11649), this is."""
    import re

    from sqlalchemy import select

    from invoicer.store import schema

    with svc.read() as session:
        found = session.execute(
            select(schema.Invoice.id).where(
                schema.Invoice.number == reference, schema.Invoice.kind == "invoice"
            )
        ).scalar()
        if found is None and is_rf_reference(reference):
            wanted = compact(reference).upper()
            # The reference is the number's letters and digits without its separators: its
            # last few digits narrow the search, the check digits settle it.
            tail = re.search(r"[0-9]{1,4}$", wanted)
            numbers = session.execute(
                select(schema.Invoice.id, schema.Invoice.number).where(
                    schema.Invoice.kind == "invoice",
                    schema.Invoice.number.like(f"%{tail.group(0) if tail else ''}"),
                )
            ).all()
            hits = [i for i, number in numbers if number and rf_reference(number) == wanted]
            found = hits[0] if len(hits) == 1 else None
    return str(found) if found else None
