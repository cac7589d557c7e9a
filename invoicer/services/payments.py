"""Payments received: partial or full, any method, each external payment booked once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from invoicer.domain import limits
from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.domain.money import currency, from_minor, parse_decimal
from invoicer.domain.parsing import PAYMENT_METHOD_CODES, parse_date, parse_payment_method
from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.commands import RecordPayment
from invoicer.services.fields import check_text
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state

METHODS = PAYMENT_METHOD_CODES
# Payment ids of providers that report bank transfers by webhook (docs/payments.md): such a
# payment and a bank-statement credit for the same money are one payment, not two.
PROVIDER_PREFIXES = ("onecom:",)


def reported_by_provider(external_id: str | None) -> bool:
    return bool(external_id) and str(external_id).startswith(PROVIDER_PREFIXES)


class PaymentService(Service):
    def add(self, invoice_id: str, payment: RecordPayment) -> views.Payment:
        amount, date, method = payment.amount, payment.date, payment.method
        reference, external_id = payment.reference, payment.external_id
        overpayment = bool(payment.overpayment)
        extra = dict(payment.details or {})  # what the payment's source reported
        method = parse_payment_method(method)
        paid_on = parse_date(date, field="date") if date is not None else self.today()
        with self._write() as session:
            invoice = session.get(schema.Invoice, invoice_id)
            if invoice is None:
                invoice = session.execute(
                    select(schema.Invoice).where(schema.Invoice.number == invoice_id)
                ).scalar()
            if invoice is None:
                raise NotFound(f"There is no invoice {invoice_id}.")
            if invoice.issued_at is None or invoice.kind != "invoice":
                raise Conflict("Payments can only be recorded against an issued invoice.")
            cur = currency(invoice.currency)
            value = parse_decimal(
                amount,
                field="amount",
                allow_negative=False,
                allow_zero=False,
                max_places=cur.exponent,
                locale=locale_for(invoice.language),
            )
            minor = limits.amount_minor(value, cur, "A payment")
            balance = invoice.gross_minor - invoice.paid_minor - invoice.credited_minor
            if minor > balance and not overpayment:
                raise Conflict(
                    f"{value} {cur.code} is more than the balance of {invoice.number} "
                    f"({from_minor(max(balance, 0), cur)} {cur.code}); record it as an "
                    "overpayment if that is what happened."
                )
            if external_id is not None:
                seen = session.execute(
                    select(schema.Payment.id).where(
                        schema.Payment.method == method, schema.Payment.external_id == external_id
                    )
                ).scalar()
                if seen:
                    raise Conflict(f"This {method} payment ({external_id}) is already booked.")
            row = schema.Payment(
                invoice_id=invoice.id,
                amount_minor=minor,
                currency=cur.code,
                date=paid_on,
                method=method,
                reference=_reference(reference),
                external_id=external_id,
                extra=_json_safe(extra) or None,
                overpayment=minor > balance,
            )
            session.add(row)
            session.flush()  # a trigger adds it to invoices.paid_minor (migration 0010)
            session.expire(invoice, ["paid_minor", "settled"])
            audit.append(
                session,
                "payment.add",
                "payment",
                row.id,
                {"row": row_state(row), "invoice": invoice.number},
            )
            return mapping.payment(row)

    def same_money(
        self, invoice_id: str, amount_minor: int, *, by_provider: bool
    ) -> views.Payment | None:
        """The bank transfer already booked for this invoice and amount from the *other*
        source (a provider's webhook against a bank statement's credit), if any: the match
        rule of docs/payments.md. Two credits of one source never match (each has its own
        id there): a customer may pay two equal instalments."""
        with self._read() as session:
            rows = session.execute(
                select(schema.Payment).where(
                    schema.Payment.invoice_id == invoice_id,
                    schema.Payment.method == "bank_transfer",
                    schema.Payment.amount_minor == amount_minor,
                )
            ).scalars()
            for row in rows:
                if reported_by_provider(row.external_id) != by_provider:
                    return mapping.payment(row)
        return None

    def external_ids(self, method: str) -> set[str]:
        """The source ids already booked for a method (bank entries, Stripe intents, tx hashes)."""
        with self._read() as session:
            rows = session.execute(
                select(schema.Payment.external_id).where(
                    schema.Payment.method == method, schema.Payment.external_id.is_not(None)
                )
            ).scalars()
            return {str(r) for r in rows}

    def list(self, invoice_id: str) -> tuple[views.Payment, ...]:
        with self._read() as session:
            rows = session.execute(
                select(schema.Payment)
                .where(schema.Payment.invoice_id == invoice_id)
                .order_by(schema.Payment.date, schema.Payment.created_at)
            ).scalars()
            return tuple(mapping.payment(row) for row in rows)


def _reference(value: str | None) -> str | None:
    text = (value or "").strip()
    problem = check_text(text, "reference")
    if problem is not None:
        raise ValidationError([problem])
    return text or None


def _json_safe(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in extra.items()}
