"""E-mail an issued invoice (or credit note): the use case every front-end calls.

The recipients are the ones given, else the customer's e-mail address; the PDF is attached,
and the e-invoice the merchant chose (mail_attach, or per send): UBL (Peppol when both
parties have an address there, else plain EN 16931) or Factur-X. The subject and body come
from the language's template (templates.py). Everything that can be refused (the address,
the mail server's settings, the password, the documents) is refused before the sent log is
touched; then the send is claimed, handed to the server, and its outcome recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from invoicer.domain.errors import Conflict, Problem, ValidationError
from invoicer.services.mail import sent_log, settings_checks, templates, transport
from invoicer.services.mail.message import Attachment, build, new_message_id

if TYPE_CHECKING:
    from invoicer.services import views
    from invoicer.services.app import Services

ATTACH = ("auto", "ubl", "facturx", "none")
MAX_RECIPIENTS = 20


@dataclass(frozen=True, slots=True)
class Sent:
    entry: sent_log.Entry
    already: bool  # sent before by the same send: nothing was sent now
    refused: tuple[str, ...] = ()  # addresses the server refused while taking the others


class Addressed(Protocol):
    """A document with a buyer: an invoice or a quote."""

    @property
    def customer_id(self) -> str | None: ...
    @property
    def buyer(self) -> views.Party: ...


def recipients(
    svc: Services, invoice: Addressed, to: Sequence[str] | None
) -> list[tuple[str, str]]:
    """(display name, address) of each recipient: those given, else the customer's."""
    if to is not None and (
        not isinstance(to, list | tuple) or not all(isinstance(t, str) for t in to)
    ):
        raise ValidationError.single("to", "invalid", "to must be a list of e-mail addresses.")
    given = [text.strip() for text in (to or ()) if text.strip()]
    if not given:
        current = svc.customers.get(invoice.customer_id).email if invoice.customer_id else None
        stored = current or invoice.buyer.email
        if not stored:
            raise ValidationError.single(
                "to",
                "missing",
                f"{invoice.buyer.name} has no e-mail address: give a recipient, or add the "
                "address to the customer.",
            )
        found = [("", part.strip()) for part in stored.replace(";", ",").split(",") if part.strip()]
        wrong: list[Problem] = []
        for _, address in found:
            try:
                settings_checks.address("to", address)
            except ValidationError as exc:
                wrong.extend(exc.problems)
        if wrong:
            raise ValidationError(wrong)
        return [(invoice.buyer.name, address) for _, address in found]
    if len(given) > MAX_RECIPIENTS:
        raise ValidationError.single("to", "too_many", f"Give {MAX_RECIPIENTS} addresses at most.")
    problems: list[Problem] = []
    parsed = []
    for text in given:
        try:
            parsed.append(settings_checks.address("to", text))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return parsed


def sender(svc: Services) -> tuple[str, str]:
    settings = svc.ctx.require_settings()
    if settings.mail_from:
        return settings_checks.address("mail_from", settings.mail_from)
    shop = svc.shop.get()
    if shop is None or not shop.email:
        raise Conflict(
            "E-mail needs a sender: give the shop an e-mail address (its profile) or set "
            "the mail_from setting."
        )
    return shop.trading_name or shop.legal_name, shop.email


def attachments(svc: Services, invoice: views.Invoice, attach: str) -> list[Attachment]:
    """The PDF, and the e-invoice `attach` asks for."""
    from invoicer.services.documents import export_filename, pdf_filename

    number = invoice.number or invoice.id
    found = [
        Attachment(
            pdf_filename(number), "application/pdf", svc.documents.render_pdf(invoice.id).pdf
        )
    ]
    if attach == "auto":
        attach = "ubl" if svc.documents.document(invoice.id).buyer.endpoint_id else "none"
    if attach == "ubl":
        try:
            fmt, data = "ubl", svc.documents.export(invoice.id, "ubl")
        except ValidationError:  # no Peppol address: the plain EN 16931 file by e-mail
            fmt, data = "ubl-en16931", svc.documents.export(invoice.id, "ubl-en16931")
        found.append(Attachment(export_filename(number, fmt), "application/xml", data))
    elif attach == "facturx":
        data = svc.documents.export(invoice.id, "facturx")
        found.append(Attachment(export_filename(number, "facturx"), "application/pdf", data))
    return found


def placeholders(svc: Services, invoice: views.Invoice, kind: str) -> dict[str, str]:
    from invoicer.documents.i18n import Labels
    from invoicer.domain.money import currency, to_minor
    from invoicer.services import payment_requests

    labels = Labels(invoice.language)
    amount = invoice.balance if kind == "reminder" else invoice.gross
    link = next(
        (
            r.url
            for r in payment_requests.for_invoice(svc, invoice.id, "stripe")
            if r.status == "open"
        ),
        "",
    )
    shop = svc.shop.get()
    return {
        "number": invoice.number or "",
        "amount": labels.money(to_minor(amount, currency(invoice.currency)), invoice.currency),
        "due_date": labels.date(invoice.due_date) if invoice.due_date else "",
        "valid_until": "",
        "payment_link": link,
        "shop": (shop.trading_name or shop.legal_name) if shop else invoice.seller.name,
        "customer": invoice.buyer.name,
    }


def check_attach(attach: str | None, svc: Services) -> str:
    chosen = attach or svc.ctx.require_settings().mail_attach
    if not isinstance(chosen, str) or chosen not in ATTACH:
        raise ValidationError.single(
            "attach", "unknown_value", f"attach must be one of {', '.join(ATTACH)}."
        )
    return chosen


def send_invoice(
    svc: Services,
    invoice_id: str,
    *,
    to: Sequence[str] | None = None,
    attach: str | None = None,
    request_key: str = "",
) -> Sent:
    """E-mail the issued invoice or credit note. The same send again (same recipients, same
    `request_key`) is not sent twice: it answers with the first one (`already`)."""
    invoice = svc.invoices.get(invoice_id)
    return deliver(
        svc, invoice, kind="invoice", step=0, to=to, attach=attach, request_key=request_key
    )


def _earlier(svc: Services, key: str) -> Sent | None:
    """The send that holds `key`: sent (answered as already sent), or still being sent."""
    earlier = sent_log.sent(svc, key)
    if earlier is None:
        return None
    if earlier.status == "sent":
        return Sent(earlier, already=True)
    raise sent_log.BeingSent(sent_log.BEING_SENT)


def deliver(
    svc: Services,
    invoice: views.Invoice,
    *,
    kind: str,
    step: int,
    to: Sequence[str] | None,
    attach: str | None,
    request_key: str,
) -> Sent:
    """E-mail one message of `kind` about the invoice (the send key: see sent_log)."""
    if invoice.number is None:
        raise Conflict("Only issued invoices and credit notes are e-mailed; issue it first.")
    chosen = check_attach(attach, svc)
    people = recipients(svc, invoice, to)
    return post(
        svc,
        Outgoing(
            document=("invoice", invoice.id),
            kind=kind,
            step=step,
            language=invoice.language,
            people=people,
            # A reminder goes once per step whoever it is sent to; an invoice once per
            # recipients.
            keyed=kind != "reminder",
            values=lambda: placeholders(svc, invoice, kind),
            files=lambda: attachments(svc, invoice, chosen),
        ),
        request_key,
    )


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message about a document, its recipients checked; the rest is made only once it
    is known not to have been sent already."""

    document: tuple[str, str]  # ("invoice" | "quote", its id)
    kind: str  # the template's kind
    step: int
    language: str
    people: list[tuple[str, str]]
    keyed: bool  # the recipients are part of the send key
    values: Callable[[], dict[str, str]]
    files: Callable[[], list[Attachment]]


def post(svc: Services, outgoing: Outgoing, request_key: str) -> Sent:
    """Claim the send, hand the message to the mail server, record the outcome."""
    account = transport.account(svc.ctx)
    addresses = [address for _, address in outgoing.people]
    document_id = outgoing.document[1]
    keyed = addresses if outgoing.keyed else ()
    key = sent_log.send_key(document_id, outgoing.kind, outgoing.step, keyed, request_key)
    earlier = _earlier(svc, key)
    if earlier is not None:
        return earlier
    from_ = sender(svc)
    template = templates.get(svc, outgoing.kind, outgoing.language)
    values = outgoing.values()
    files = outgoing.files()
    message_id = new_message_id(from_[1])
    subject = templates.render(template.subject, values)
    message = build(
        sender=from_,
        recipients=outgoing.people,
        subject=subject,
        body=templates.render(template.body, values),
        attachments=files,
        message_id=message_id,
        date=svc.ctx.clock.now(),
    )
    try:
        entry = sent_log.claim(
            svc,
            invoice_id=document_id if outgoing.document[0] == "invoice" else None,
            quote_id=document_id if outgoing.document[0] == "quote" else None,
            kind=outgoing.kind,
            step=outgoing.step,
            recipients=addresses,
            subject=subject,
            attachments=[f.filename for f in files],
            message_id=message_id,
            key=key,
        )
    except sent_log.BeingSent:  # another process claimed it first: maybe done by now
        earlier = _earlier(svc, key)
        if earlier is None:
            raise
        return earlier
    try:
        refused = transport.deliver(account, message)
    except transport.MailNotSent as exc:
        sent_log.finish(svc, entry.id, "failed", exc.reason)
        raise
    except BaseException:
        sent_log.finish(svc, entry.id, "failed", "Invoicer stopped while sending.")
        raise
    note = f"refused by the server: {', '.join(refused)}" if refused else None
    return Sent(sent_log.finish(svc, entry.id, "sent", note), already=False, refused=tuple(refused))
