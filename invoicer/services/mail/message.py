"""One e-mail as the standard library builds it (email.message.EmailMessage, the default
policy): UTF-8 display names and subjects encoded as RFC 2047 words, a Message-ID on the
sender's domain, the Date, a text/plain body and the documents attached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf", "application/xml"
    data: bytes


def new_message_id(sender_address: str) -> str:
    """A Message-ID on the sender's own domain (what spam filters expect to see)."""
    domain = sender_address.rpartition("@")[2] or "invoicer.invalid"
    return make_msgid(domain=domain)


def build(
    *,
    sender: tuple[str, str],
    recipients: Sequence[tuple[str, str]],
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    message_id: str,
    date: dt.datetime,
) -> EmailMessage:
    """`sender` and each recipient: (display name, address)."""
    message = EmailMessage()
    message["From"] = Address(sender[0], addr_spec=sender[1])
    message["To"] = [Address(name, addr_spec=address) for name, address in recipients]
    message["Subject"] = subject
    message["Date"] = format_datetime(date.astimezone(dt.UTC))
    message["Message-ID"] = message_id
    message.set_content(body)  # text/plain; UTF-8 whenever it is not plain ASCII
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message
