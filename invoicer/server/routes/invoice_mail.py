"""E-mailing a shop's issued invoice (the services in invoicer/services/mail): send it, the
e-mails sent of it (its history), and the shop's subject and body templates. The mail server
is the operator's settings with the shop's own account (smtp_user in the shop's settings,
smtp_password in the shop's secrets)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse

from invoicer.server.auth import AdminServices, MemberServices
from invoicer.server.routes.common import listing
from invoicer.server.routes.common import router as make_router
from invoicer.server.serialise import plain
from invoicer.server.strict import strict
from invoicer.services.commands import MailTemplateChanges, SendInvoice

router = make_router("invoice e-mail")


def _entry(entry: Any) -> dict[str, Any]:
    return {"object": "mail_message", **plain(entry)}


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
    key = idempotency_key or (uuid.uuid4().hex if body.again is True else "")
    sent = svc.mail.send_invoice(view.id, to=body.to, attach=body.attach, request_key=key)
    return JSONResponse(
        {**_entry(sent.entry), "already_sent": sent.already, "refused": list(sent.refused)}
    )


@router.get("/invoices/{invoice_id}/mail", summary="The e-mails sent of an invoice, oldest first")
def history(svc: MemberServices, invoice_id: str) -> JSONResponse:
    view = svc.invoices.get(invoice_id)
    items = svc.mail.history(view.id)
    return listing(items, object_name="mail_message", next_cursor=None, total=len(items))


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
