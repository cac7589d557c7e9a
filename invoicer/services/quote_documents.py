"""An issued quote as a PDF: the invoice layout with the quote's title, its validity date
and no payment section (a quote asks for no payment and is never an e-invoice)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from invoicer.documents.model import DocumentKind, InvoiceDocument
from invoicer.domain.errors import Conflict
from invoicer.services import views
from invoicer.services.app import Services
from invoicer.services.documents import to_document
from invoicer.services.quotes import QuoteView


def quote_document(svc: Services, quote_id: str) -> InvoiceDocument:
    quote = svc.quotes.get(quote_id)
    if quote.number is None or quote.issue_date is None:
        raise Conflict("Only an issued quote has a document; issue it first.")
    return dataclasses.replace(
        to_document(_as_invoice(quote), svc),
        kind=DocumentKind.QUOTE,
        due_date=None,
        bank=None,
        valid_until=quote.valid_until,
    )


def render_quote_pdf(svc: Services, quote_id: str) -> bytes:
    """Always the same bytes for an issued quote (made from its frozen row alone)."""
    from invoicer.documents.pdf import render_pdf

    return render_pdf(quote_document(svc, quote_id)).pdf


def _as_invoice(quote: QuoteView) -> views.Invoice:
    """The quote in the shape the document mapping reads (nothing paid, nothing due)."""
    zero = Decimal(0)
    return views.Invoice(
        id=quote.id,
        kind="invoice",
        number=quote.number,
        status=quote.status,
        issue_date=quote.issue_date,
        supply_date=None,
        period_start=None,
        period_end=None,
        due_days=None,
        due_date=None,
        currency=quote.currency,
        language=quote.language,
        customer_id=quote.customer_id,
        customer_name=quote.customer_name,
        seller=quote.seller,
        buyer=quote.buyer,
        lines=quote.lines,
        vat_groups=quote.vat_groups,
        net=quote.net,
        vat=quote.vat,
        gross=quote.gross,
        paid=zero,
        credited=zero,
        balance=zero,
        credited_invoice_id=None,
        credited_invoice_number=None,
        credited_invoice_date=None,
        buyer_reference=None,
        notes=quote.notes,
        reason=None,
        pdf_sha256=None,
        issued_at=quote.issued_at,
        exchange_rate=None,
        requirements={},
        notes_required=(),
        warnings=(),
    )
