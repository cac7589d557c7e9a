"""E-mail's tables (issue 22, docs/email.md), in every store:

- `mail_messages`: the sent log, one row per attempt to e-mail a document (an invoice, a
  reminder of one, a quote): to whom, when, its Message-ID, and whether it was sent or why
  not. A row holds a `send_key` (the document, the kind of message, the recipients and the
  caller's request key, hashed); no two rows that are sending or sent share one, so a retry
  never sends twice. The rows are the shop's records (the document's history), synced to its
  devices as events;
- `mail_templates`: the merchant's own subject and body of a kind of message in a language,
  replacing the built-in one (services/mail/templates.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, ShopOwned, _keyed, _ref, new_id, utcnow

# The rows that hold their send key: a failed attempt gives it up for the retry.
HOLDS_KEY = "status != 'failed'"
# A row is about an invoice (its e-mail, a reminder) or about a quote (migration 0020).
ONE_DOCUMENT = "(invoice_id IS NULL) <> (quote_id IS NULL)"


class MailMessage(ShopOwned, Base):
    __tablename__ = "mail_messages"
    __table_args__ = (
        *_keyed("mail_messages"),
        _ref("mail_messages", "invoice_id", "invoices"),
        _ref("mail_messages", "quote_id", "quotes"),
        CheckConstraint(ONE_DOCUMENT, name="ck_mail_messages_one_document"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str | None] = mapped_column(String(36))
    quote_id: Mapped[str | None] = mapped_column(String(36))
    attempt: Mapped[int] = mapped_column(Integer)  # the document's 1st, 2nd ... attempt: order
    kind: Mapped[str] = mapped_column(Text)  # invoice | reminder | quote
    step: Mapped[int] = mapped_column(Integer, default=0)  # a reminder's days after due
    recipients: Mapped[str] = mapped_column(Text)  # the To addresses, comma separated
    subject: Mapped[str] = mapped_column(Text)
    attachments: Mapped[str] = mapped_column(Text, default="")  # file names, comma separated
    send_key: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)  # sending | sent | failed
    reason: Mapped[str | None] = mapped_column(Text)  # why it failed, in the user's words
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class MailTemplate(ShopOwned, Base):
    __tablename__ = "mail_templates"
    __table_args__ = _keyed("mail_templates")

    id: Mapped[str] = mapped_column(String(36))  # "{kind}.{language}", e.g. "reminder.nl"
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_mail_messages_invoice", MailMessage.invoice_id)
Index("ix_mail_messages_quote", MailMessage.quote_id)
Index(
    "ux_mail_messages_send_key",
    MailMessage.shop_id,
    MailMessage.send_key,
    unique=True,
    sqlite_where=text(HOLDS_KEY),
    postgresql_where=text(HOLDS_KEY),
)
