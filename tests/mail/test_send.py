"""E-mailing an invoice through a real SMTP server on loopback: the MIME that arrives
(attachments, encodings, headers), STARTTLS and implicit TLS, a login and a refused one,
and the sent log."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft
from invoicer.services.mail.transport import MailNotSent

from .conftest import LUKASZ, TODAY, configure, issue
from .smtp_server import PASSWORD, USER, smtp_server


def test_the_invoice_arrives_with_its_pdf_utf8_names_and_headers(
    shop: Services, tmp_path: Path
) -> None:
    invoice_id = issue(shop, LUKASZ)
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        sent = shop.mail.send_invoice(invoice_id)
    number = shop.invoices.get(invoice_id).number
    assert number is not None
    [received] = server.inbox.received
    assert received.mail_from == "factuur@voorbeeld.example"
    assert received.rcpt_tos == ["lukasz@example.pl"]
    message = received.message()
    # UTF-8 display names travel as RFC 2047 words and come back as they were.
    assert b"=?utf-8?" in received.data
    assert message["To"].addresses[0].display_name == "Łukasz Żółć"
    assert message["To"].addresses[0].addr_spec == "lukasz@example.pl"
    assert message["From"].addresses[0].display_name == "Voorbeeld Handel B.V."
    assert message["Subject"] == f"Invoice {number} from Voorbeeld Handel B.V."
    assert message["Message-ID"] == sent.entry.message_id
    assert message["Message-ID"].endswith("@voorbeeld.example>")
    assert parsedate_to_datetime(message["Date"]) == dt.datetime(
        TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC
    )
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Dear Łukasz Żółć," in text
    assert "for €1,493.75, due on 30 March 2026." in text  # the language's way (Babel)
    assert "Pay online" not in text  # no payment link: its line is left out
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == f"{number}.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert pdf.get_content() == shop.documents.render_pdf(invoice_id).pdf
    assert sent.entry.status == "sent"
    assert not sent.already
    assert sent.entry.attachments == (f"{number}.pdf",)


def test_a_retry_of_the_same_send_sends_nothing(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        first = shop.mail.send_invoice(invoice_id, to=["a@example.com", "B@example.com"])
        again = shop.mail.send_invoice(invoice_id, to=["b@example.com", "a@example.com"])
        other_request = shop.mail.send_invoice(
            invoice_id, to=["a@example.com", "b@example.com"], request_key="second"
        )
        someone_else = shop.mail.send_invoice(invoice_id, to=["c@example.com"])
    assert again.already
    assert again.entry.id == first.entry.id
    assert not other_request.already
    assert not someone_else.already
    assert len(server.inbox.received) == 3
    assert [e.status for e in shop.mail.history(invoice_id)] == ["sent", "sent", "sent"]


def test_facturx_and_ubl_attach_beside_the_pdf(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    number = shop.invoices.get(invoice_id).number
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        shop.mail.send_invoice(invoice_id, attach="facturx")
        shop.mail.send_invoice(invoice_id, attach="ubl", request_key="ubl")
    facturx, ubl = (r.message() for r in server.inbox.received)
    names = [(a.get_filename(), a.get_content_type()) for a in facturx.iter_attachments()]
    assert names == [(f"{number}.pdf", "application/pdf"),
                     (f"{number}-facturx.pdf", "application/pdf")]  # fmt: skip
    assert list(facturx.iter_attachments())[1].get_content().startswith(b"%PDF")
    [_, xml] = list(ubl.iter_attachments())
    # No Peppol address for this buyer: the plain EN 16931 UBL, fit for e-mail.
    assert xml.get_filename() == f"{number}-ubl-en16931.xml"
    assert xml.get_content_type() == "application/xml"
    assert xml.get_content() == shop.documents.export(invoice_id, "ubl-en16931")


def test_a_peppol_customer_gets_the_ubl_by_default(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, {**LUKASZ, "peppol_id": "0088:8712345000004", "country": "NL",
                              "postcode": "1017 GA", "city": "Amsterdam"})  # fmt: skip
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        sent = shop.mail.send_invoice(invoice_id)
    assert sent.entry.attachments[1].endswith("-ubl.xml")
    assert len(list(server.inbox.received[0].message().iter_attachments())) == 2


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_and_a_login(shop: Services, tmp_path: Path, security: str) -> None:
    invoice_id = issue(shop, LUKASZ)
    shop.ctx.secrets.set_secret("smtp_password", PASSWORD)
    with smtp_server(tmp_path, security=security, auth=True) as server:
        configure(
            shop,
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security=security,
            smtp_user=USER,
            smtp_ca_file=str(server.ca_file),
        )
        shop.mail.send_invoice(invoice_id)
    assert server.inbox.logins == [USER]
    assert server.inbox.received[0].message()["To"].addresses[0].display_name == "Łukasz Żółć"


def test_a_refused_login_is_logged_and_said(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    shop.ctx.secrets.set_secret("smtp_password", "wrong")
    with smtp_server(tmp_path, security="starttls", auth=True) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_user=USER,
                  smtp_ca_file=str(server.ca_file))  # fmt: skip
        with pytest.raises(MailNotSent) as error:
            shop.mail.send_invoice(invoice_id)
        assert server.inbox.received == []
        message = str(error.value)
        assert "refused the login of shop@voorbeeld.example" in message
        assert "wrong" not in message  # never the password
        [entry] = shop.mail.history(invoice_id)
        assert entry.status == "failed"
        assert entry.reason == error.value.reason
        # Fixed password: the retry sends (a failure holds no send key).
        shop.ctx.secrets.set_secret("smtp_password", PASSWORD)
        assert not shop.mail.send_invoice(invoice_id).already
    assert len(server.inbox.received) == 1
    assert [e.status for e in shop.mail.history(invoice_id)] == ["failed", "sent"]


def test_an_untrusted_certificate_is_refused(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    with smtp_server(tmp_path, security="tls") as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="tls")
        with pytest.raises(MailNotSent, match="is not trusted"):
            shop.mail.send_invoice(invoice_id)
    assert server.inbox.received == []


def test_no_password_in_the_keyring_is_refused_before_anything_is_logged(
    shop: Services, tmp_path: Path
) -> None:
    invoice_id = issue(shop, LUKASZ)
    configure(shop, smtp_host="127.0.0.1", smtp_port=2525, smtp_user=USER)
    with pytest.raises(Conflict, match="invoicer secrets set smtp_password"):
        shop.mail.send_invoice(invoice_id)
    assert shop.mail.history(invoice_id) == []


def test_bad_addresses_and_drafts_are_refused(shop: Services) -> None:
    invoice_id = issue(shop, LUKASZ)
    configure(shop, smtp_host="127.0.0.1", smtp_port=2525, smtp_security="none")
    with pytest.raises(ValidationError) as error:
        shop.mail.send_invoice(invoice_id, to=["ok@example.com", "x@y.com\nBcc: z@w.com", "nope"])
    assert [p.field for p in error.value.problems] == ["to", "to"]
    with pytest.raises(ValidationError, match="attach must be one of"):
        shop.mail.send_invoice(invoice_id, attach="zip")
    nameless = shop.customers.add(NewCustomer(name="No Mail", country="NL"))
    draft = shop.invoices.create_draft(NewDraft(customer_id=nameless.id))
    with pytest.raises(Conflict, match="issue it first"):
        shop.mail.send_invoice(draft.id)
    assert shop.mail.history(invoice_id) == []


def test_a_customer_without_an_address_is_asked_for_one(shop: Services) -> None:
    invoice_id = issue(shop, {**LUKASZ, "email": None})
    configure(shop, smtp_host="127.0.0.1", smtp_port=2525, smtp_security="none")
    with pytest.raises(ValidationError, match="Łukasz Żółć has no e-mail address"):
        shop.mail.send_invoice(invoice_id)


def test_a_dutch_invoice_in_dutch_with_the_merchants_own_template(
    shop: Services, tmp_path: Path
) -> None:
    invoice_id = issue(shop, {"name": "Jan Jansen", "country": "NL", "language": "nl",
                              "street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam",
                              "email": "jan@example.nl"})  # fmt: skip
    shop.mail.save_template("invoice", "nl", subject="Uw factuur {number} ({amount})")
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none",
                  mail_from="Jansen & Zoon Facturen <facturen@jansen.example>")  # fmt: skip
        shop.mail.send_invoice(invoice_id)
    message = server.inbox.received[0].message()
    number = shop.invoices.get(invoice_id).number
    assert message["Subject"] == f"Uw factuur {number} (€\xa01.493,75)"  # Babel: no-break space
    assert message["From"].addresses[0].display_name == "Jansen & Zoon Facturen"
    assert message["Message-ID"].endswith("@jansen.example>")
    body = message.get_body(("plain",))
    assert body is not None
    # The built-in Dutch body, as the merchant changed only the subject.
    assert "te betalen vóór 30 maart 2026." in body.get_content()
