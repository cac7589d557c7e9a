"""E-mailing a shop's issued invoices and quotes (the services in invoicer/services/mail):
send one, the e-mails sent of it (its history), the reminders of overdue invoices, and the
shop's subject and body templates. The mail server
is the operator's settings with the shop's own account (smtp_user in the shop's settings,
smtp_password in the shop's secrets)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Header, Path
from fastapi.responses import JSONResponse

from invoicer.server.auth import AdminServices, MemberServices
from invoicer.server.routes.common import listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.commands import MailTemplateChanges, SendInvoice, SendQuote, SendReminders

router = make_router("e-mail")


def _entry(entry: Any) -> dict[str, Any]:
    return {"object": "mail_message", **plain(entry)}


def _sent(sent: Any) -> JSONResponse:
    return JSONResponse(
        {**_entry(sent.entry), "already_sent": sent.already, "refused": list(sent.refused)}
    )


def _key(idempotency_key: str | None, again: bool | None) -> str:
    return idempotency_key or (uuid.uuid4().hex if again is True else "")


@router.post(
    "/invoices/{invoice_id}/send",
    summary="E-mail an issued invoice or credit note with its PDF (the same e-mail once)",
    responses={503: {"description": "The mail server could not be reached or refused it."}},
)
def send(
    svc: MemberServices,
    invoice_id: str,
    body: strict(SendInvoice),  # type: ignore[valid-type]
    idempotency_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> JSONResponse:
    """The same e-mail (same recipients, same Idempotency-Key or none) is sent once: a
    retry answers with the first send, `already_sent` true. `again` sends it once more."""
    view = svc.invoices.get(invoice_id)  # another shop's invoice is a 404
    key = _key(idempotency_key, body.again)
    return _sent(svc.mail.send_invoice(view.id, to=body.to, attach=body.attach, request_key=key))


@router.get("/invoices/{invoice_id}/mail", summary="The e-mails sent of an invoice, oldest first")
def history(svc: MemberServices, invoice_id: str) -> JSONResponse:
    view = svc.invoices.get(invoice_id)
    items = svc.mail.history(view.id)
    return listing(items, object_name="mail_message", next_cursor=None, total=len(items))


@router.post(
    "/quotes/{quote_id}/send",
    summary="E-mail an issued quote with its PDF and mark it sent (the same e-mail once)",
    responses={503: {"description": "The mail server could not be reached or refused it."}},
)
def send_quote(
    svc: MemberServices,
    quote_id: Annotated[str, Path(max_length=64)],
    body: strict(SendQuote),  # type: ignore[valid-type]
    idempotency_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> JSONResponse:
    """As an invoice's send: a retry answers with the first send, `already_sent` true."""
    view = svc.quotes.get(quote_id)  # another shop's quote is a 404
    key = _key(idempotency_key, body.again)
    return _sent(svc.mail.send_quote(view.id, to=body.to, request_key=key))


@router.get("/quotes/{quote_id}/mail", summary="The e-mails sent of a quote, oldest first")
def quote_history(
    svc: MemberServices, quote_id: Annotated[str, Path(max_length=64)]
) -> JSONResponse:
    view = svc.quotes.get(quote_id)
    items = svc.mail.quote_history(view.id)
    return listing(items, object_name="mail_message", next_cursor=None, total=len(items))


@router.post(
    "/reminders",
    summary="E-mail the reminders due for overdue invoices, each step once (or a dry run)",
    responses={503: {"description": "The mail server could not be reached."}},
)
def reminders(
    svc: MemberServices,
    body: strict(SendReminders),  # type: ignore[valid-type]
) -> JSONResponse:
    """One result per invoice: `due` (a dry run), `sent` or `failed` with the reason."""
    items = svc.mail.remind(dry_run=body.dry_run is True)
    return listing(items, object_name="reminder", next_cursor=None, total=len(items))


def _template(found: Any) -> dict[str, Any]:
    return {"object": "mail_template", **plain(found)}


@router.get("/mail-templates", summary="The e-mail templates per kind and language")
def templates(svc: MemberServices) -> JSONResponse:
    items = svc.mail.templates()
    return listing(items, object_name="mail_template", next_cursor=None, total=len(items))


@router.put(
    "/mail-templates/{kind}/{language}",
    summary="Change an e-mail template, or reset it to the built-in one (admins)",
)
def save_template(
    svc: AdminServices,
    kind: str,
    language: str,
    body: strict(MailTemplateChanges),  # type: ignore[valid-type]
) -> JSONResponse:
    saved = svc.mail.save_template(
        kind, language, subject=body.subject, body=body.body, reset=body.reset is True
    )
    return JSONResponse(_template(saved))
