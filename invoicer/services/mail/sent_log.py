"""The sent log: one row per attempt to e-mail a document, an invoice or a quote
(store/mail_schema.py), and the send key that keeps a retry from sending twice.

An attempt first claims its send key in its own transaction (a row "sending"); the unique
index on the keys of rows not failed lets only one claim in, whichever process makes it. The
message is handed to the mail server outside any transaction, then the row becomes "sent"
or "failed" with the reason. A failed row gives up its key, so the retry sends; a sent row
keeps it, so the retry is told it was sent already. A row still "sending" after
STALE_MINUTES is a send that was cut off (the app closed, the machine slept): whether the
server took it is unknown, so it is marked failed with that said, and may be retried.

Every change is an audit event carrying the row (entity "mail_message"), so the shop's
devices see the same history."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from invoicer.domain.errors import Conflict
from invoicer.store import audit
from invoicer.store.event_state import row_state
from invoicer.store.mail_schema import MailMessage

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from invoicer.services.app import Services

STALE_MINUTES = 15
CUT_OFF = (
    "the send was interrupted before the mail server answered; it may or may not have arrived."
)


BEING_SENT = (
    "This e-mail is being sent right now by another window or device; look at the invoice's "
    "history in a moment."
)


class BeingSent(Conflict):
    """Another process holds this send's key and has not finished."""


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    invoice_id: str | None  # the document: an invoice (its e-mail, a reminder) ...
    kind: str  # invoice | reminder | quote
    step: int  # a reminder's days after the due date (0: the invoice itself)
    recipients: tuple[str, ...]
    subject: str
    attachments: tuple[str, ...]
    message_id: str
    status: str  # sending | sent | failed
    reason: str | None
    at: dt.datetime  # when the attempt began (UTC)
    finished_at: dt.datetime | None
    by: str
    quote_id: str | None = None  # ... or a quote

    @property
    def document_id(self) -> str:
        return self.invoice_id or self.quote_id or ""


WHAT = {"invoice": "Invoice", "quote": "Quote"}


def describe(entry: Entry) -> str:
    """One line of the document's history, the same in every front-end:
    `2026-03-16 12:00  Invoice e-mail to a@example.com: sent`."""
    what = WHAT.get(entry.kind) or f"Reminder ({entry.step} days)"
    when = f"{(entry.finished_at or entry.at):%Y-%m-%d %H:%M}"
    line = f"{when}  {what} e-mail to {', '.join(entry.recipients)}: {entry.status}"
    return line + (f" ({entry.reason})" if entry.reason else "")


def send_key(
    document_id: str, kind: str, step: int, recipients: Sequence[str], request_key: str
) -> str:
    """The same send: the same document, kind of message (a reminder: its step), recipients
    (in any order, any case) and request key."""
    people = ",".join(sorted({address.lower() for address in recipients}))
    text = "\x1f".join((document_id, kind, str(step), people, request_key))
    return hashlib.sha256(text.encode()).hexdigest()


def _entry(row: MailMessage) -> Entry:
    return Entry(
        row.id,
        row.invoice_id,
        row.kind,
        row.step,
        tuple(a for a in row.recipients.split(",") if a),
        row.subject,
        tuple(a for a in row.attachments.split(",") if a),
        row.message_id,
        row.status,
        row.reason,
        row.created_at.replace(tzinfo=dt.UTC),
        row.finished_at.replace(tzinfo=dt.UTC) if row.finished_at else None,
        row.created_by,
        row.quote_id,
    )


def _record(session: Session, row: MailMessage) -> None:
    session.flush()
    audit.append(
        session, f"mail_message.{row.status}", "mail_message", row.id, {"row": row_state(row)}
    )


def _holder(session: Session, key: str) -> MailMessage | None:
    return session.execute(
        select(MailMessage).where(MailMessage.send_key == key, MailMessage.status != "failed")
    ).scalar_one_or_none()


def for_invoice(svc: Services, invoice_id: str) -> list[Entry]:
    """Every attempt to e-mail the invoice, oldest first."""
    return _for(svc, MailMessage.invoice_id, invoice_id)


def for_quote(svc: Services, quote_id: str) -> list[Entry]:
    """Every attempt to e-mail the quote, oldest first."""
    return _for(svc, MailMessage.quote_id, quote_id)


def _for(svc: Services, column: Any, document_id: str) -> list[Entry]:
    with svc.read() as session:
        rows = session.execute(
            select(MailMessage)
            .where(column == document_id)
            .order_by(MailMessage.created_at, MailMessage.attempt)
        ).scalars()
        return [_entry(row) for row in rows]


def sent(svc: Services, key: str) -> Entry | None:
    """The attempt holding `key` (sending or sent), if any; a cut-off one is released."""
    with svc.write() as session:
        row = _holder(session, key)
        if row is None:
            return None
        if row.status == "sending" and _stale(svc, row):
            _finish(svc, session, row, "failed", CUT_OFF)
            return None
        return _entry(row)


def _stale(svc: Services, row: MailMessage) -> bool:
    return row.created_at < svc.ctx.stored_now() - dt.timedelta(minutes=STALE_MINUTES)


def claim(
    svc: Services,
    *,
    invoice_id: str | None = None,
    quote_id: str | None = None,
    kind: str,
    step: int,
    recipients: Sequence[str],
    subject: str,
    attachments: Sequence[str],
    message_id: str,
    key: str,
) -> Entry:
    """Take the send key for this attempt, or Conflict when another holds it (sent already:
    see `sent`, which the caller asks first; or being sent right now by another process)."""
    assert (invoice_id is None) != (quote_id is None)  # one document (ck_..._one_document)
    column = MailMessage.invoice_id if invoice_id else MailMessage.quote_id
    try:
        with svc.write() as session:
            earlier = session.execute(
                select(func.count()).where(column == (invoice_id or quote_id))
            ).scalar_one()
            row = MailMessage(
                invoice_id=invoice_id,
                quote_id=quote_id,
                attempt=earlier + 1,
                kind=kind,
                step=step,
                recipients=",".join(recipients),
                subject=subject,
                attachments=",".join(attachments),
                send_key=key,
                message_id=message_id,
                status="sending",
                created_at=svc.ctx.stored_now(),
                created_by=svc.ctx.actor,
            )
            session.add(row)
            _record(session, row)
            return _entry(row)
    except IntegrityError:  # another process claimed it between our look and our claim
        raise BeingSent(BEING_SENT) from None


def _finish(
    svc: Services, session: Session, row: MailMessage, status: str, reason: str | None
) -> None:
    row.status, row.reason, row.finished_at = status, reason, svc.ctx.stored_now()
    _record(session, row)


def finish(svc: Services, entry_id: str, status: str, reason: str | None = None) -> Entry:
    """The attempt's outcome: sent (reason: addresses the server refused) or failed."""
    with svc.write() as session:
        row = session.get(MailMessage, entry_id)
        assert row is not None  # claimed by this process moments ago
        _finish(svc, session, row, status, reason)
        return _entry(row)


def reminder_steps_sent(svc: Services, invoice_id: str) -> set[int]:
    """The reminder steps of the invoice that went out (or are going out)."""
    with svc.read() as session:
        steps = session.execute(
            select(MailMessage.step).where(
                MailMessage.invoice_id == invoice_id,
                MailMessage.kind == "reminder",
                MailMessage.status != "failed",
            )
        ).scalars()
        return set(steps)
