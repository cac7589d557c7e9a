"""E-mail an issued quote: its PDF, with the subject and body of the `quote` template in the
quote's language, through the same sent log as invoices (a retry never sends twice). An
issued quote that goes out is marked sent; a later send (to someone else, say) leaves its
state as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from invoicer.domain.errors import Conflict
from invoicer.services.mail.message import Attachment
from invoicer.services.mail.sending import Outgoing, Sent, post, recipients

if TYPE_CHECKING:
    from invoicer.services.app import Services
    from invoicer.services.quotes import QuoteView


def send_quote(
    svc: Services, quote_id: str, *, to: Sequence[str] | None = None, request_key: str = ""
) -> Sent:
    """E-mail the issued quote to `to`, else to the customer's address."""
    quote = svc.quotes.get(quote_id)
    if quote.number is None:
        raise Conflict("Only an issued quote is e-mailed; issue it first.")
    if quote.status in ("accepted", "declined"):
        raise Conflict(f"Quote {quote.number} was {quote.status} already; it is not sent again.")
    people = recipients(svc, quote, to)
    sent = post(
        svc,
        Outgoing(
            document=("quote", quote.id),
            kind="quote",
            step=0,
            language=quote.language,
            people=people,
            keyed=True,
            values=lambda: placeholders(svc, quote),
            files=lambda: [_pdf(svc, quote)],
        ),
        request_key,
    )
    if svc.quotes.get(quote.id).status == "issued":
        svc.quotes.send(quote.id)
    return sent


def _pdf(svc: Services, quote: QuoteView) -> Attachment:
    from invoicer.services.documents import pdf_filename
    from invoicer.services.quote_documents import render_quote_pdf

    return Attachment(
        pdf_filename(quote.number or quote.id), "application/pdf", render_quote_pdf(svc, quote.id)
    )


def placeholders(svc: Services, quote: QuoteView) -> dict[str, str]:
    from invoicer.documents.i18n import Labels
    from invoicer.domain.money import currency, to_minor

    labels = Labels(quote.language)
    shop = svc.shop.get()
    return {
        "number": quote.number or "",
        "amount": labels.money(to_minor(quote.gross, currency(quote.currency)), quote.currency),
        "due_date": "",
        "valid_until": labels.date(quote.valid_until) if quote.valid_until else "",
        "payment_link": "",
        "shop": (shop.trading_name or shop.legal_name) if shop else quote.seller.name,
        "customer": quote.buyer.name,
    }
