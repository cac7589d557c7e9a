"""E-mailing a quote through a real SMTP server on loopback: its PDF and the quote template
in the quote's language arrive, the quote is marked sent, the history is the quote's own,
a retry never sends twice, and a refused send changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewLine, NewQuote
from invoicer.services.mail.transport import MailNotSent
from tests.services.conftest import dump

from .conftest import LUKASZ, configure
from .smtp_server import free_port, smtp_server


def _quote(shop: Services, issue: bool = True, **customer: str) -> str:
    customer_id = shop.customers.add(NewCustomer(**{**LUKASZ, **customer})).id
    quote = shop.quotes.create(NewQuote(customer_id=customer_id, valid_days="14"))
    shop.quotes.add_line(quote.id, NewLine(description="Garden design", unit_price="800.00"))
    return shop.quotes.issue(quote.id).id if issue else quote.id


def test_the_quote_arrives_with_its_pdf_and_is_marked_sent(shop: Services, tmp_path: Path) -> None:
    quote_id = _quote(shop)
    number = shop.quotes.get(quote_id).number
    assert number is not None
    assert number.startswith("QUO-")
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        sent = shop.mail.send_quote(quote_id)
    [received] = server.inbox.received
    assert received.rcpt_tos == ["lukasz@example.pl"]
    message = received.message()
    assert message["Subject"] == f"Quote {number} from Voorbeeld Handel B.V."
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "our quote" in text
    assert "valid until 30 March 2026" in text
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == f"{number}.pdf"
    assert pdf.get_content() == shop.documents.render_quote_pdf(quote_id)
    assert shop.quotes.get(quote_id).status == "sent"
    [entry] = shop.mail.quote_history(quote_id)
    assert (entry.kind, entry.status, entry.quote_id, entry.invoice_id) == (
        "quote",
        "sent",
        quote_id,
        None,
    )
    assert entry == sent.entry
    assert shop.mail.history(quote_id) == []  # not an invoice's history


def test_the_quote_template_speaks_the_quotes_language(shop: Services, tmp_path: Path) -> None:
    quote_id = _quote(shop, language="de", email="kunde@example.de")
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        shop.mail.send_quote(quote_id)
    message = server.inbox.received[0].message()
    assert message["Subject"].startswith("Angebot QUO-")
    body = message.get_body(("plain",))
    assert body is not None
    assert "gültig bis" in body.get_content()


def test_the_same_send_again_is_not_sent_twice(shop: Services, tmp_path: Path) -> None:
    quote_id = _quote(shop)
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        first = shop.mail.send_quote(quote_id, request_key="k1")
        again = shop.mail.send_quote(quote_id, request_key="k1")
        other = shop.mail.send_quote(quote_id, to=["boss@example.pl"], request_key="k1")
    assert not first.already
    assert again.already
    assert again.entry == first.entry
    assert not other.already
    assert [r.rcpt_tos for r in server.inbox.received] == [
        ["lukasz@example.pl"],
        ["boss@example.pl"],
    ]
    assert shop.quotes.get(quote_id).status == "sent"


def test_a_draft_or_decided_quote_is_refused_and_nothing_changes(
    shop: Services, tmp_path: Path
) -> None:
    draft_id = _quote(shop, issue=False)
    decided_id = _quote(shop)
    shop.quotes.accept(decided_id)
    issued_id = _quote(shop)
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        before = dump(shop.path)
        with pytest.raises(Conflict, match="issue it first"):
            shop.mail.send_quote(draft_id)
        with pytest.raises(Conflict, match="accepted already"):
            shop.mail.send_quote(decided_id)
        for wrong in (["not an address"], ["a@example.com\x00"], "a@example.com", [5]):
            with pytest.raises(ValidationError):
                shop.mail.send_quote(issued_id, to=wrong)  # type: ignore[arg-type]
    assert server.inbox.received == []
    assert dump(shop.path) == before


def test_a_failed_send_leaves_the_quote_issued_and_the_retry_sends(
    shop: Services, tmp_path: Path
) -> None:
    quote_id = _quote(shop)
    configure(shop, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(MailNotSent, match="refused the connection"):
        shop.mail.send_quote(quote_id)
    assert shop.quotes.get(quote_id).status == "issued"
    assert [e.status for e in shop.mail.quote_history(quote_id)] == ["failed"]
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        assert not shop.mail.send_quote(quote_id).already
    assert len(server.inbox.received) == 1
    assert [e.status for e in shop.mail.quote_history(quote_id)] == ["failed", "sent"]
    assert shop.quotes.get(quote_id).status == "sent"
