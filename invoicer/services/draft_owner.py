"""A draft belongs to the device that made it (DESIGN.md §11): only there can it be changed,
deleted or issued, so two devices never edit one draft into two different invoices."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from invoicer.domain.errors import Conflict
from invoicer.store import audit, schema, sync_schema
from invoicer.store.tenancy import shop_of

_EVENTS = schema.AuditEvent.__table__.c
_DEVICES = schema.Device.__table__.c
_LINK = sync_schema.SyncLink.__table__.c
# Built once, Core: issuing runs it.
_MADE_BY = select(_EVENTS.device_id).where(
    _EVENTS.shop_id == bindparam("shop"),
    _EVENTS.entity == "invoice",
    _EVENTS.entity_id == bindparam("invoice"),
    _EVENTS.action == "invoice.create_draft",
)
_CODE = select(_DEVICES.code).where(
    _DEVICES.shop_id == bindparam("shop"), _DEVICES.id == bindparam("device")
)
_CHAINS = select(_LINK.chains).where(_LINK.shop_id == bindparam("shop"))


def written_here(session: Session, device: str, writer: str | None = None) -> bool:
    """Whether `device` is this store's writer (the session's, or `writer` in a read), or a
    chain of its history from before sync."""
    if device == (writer or audit.writer_of(session).device_id):
        return True
    chains = session.connection().execute(_CHAINS, {"shop": shop_of(session)}).scalar()
    return bool(chains and device in json.loads(chains))


def device_code(session: Session, device: str) -> str:
    """The letter a person knows a device by (its id when it has none)."""
    found = session.connection().execute(_CODE, {"shop": shop_of(session), "device": device})
    return str(found.scalar() or device)


def check_owner(session: Session, invoice_id: str) -> None:
    """Refuse to touch a draft another device made."""
    shop = shop_of(session)
    owner = session.connection().execute(_MADE_BY, {"shop": shop, "invoice": invoice_id}).scalar()
    if owner is None or written_here(session, owner):
        return
    code = device_code(session, owner)
    raise Conflict(
        f"This draft was made on device {code}, and only that device can change, delete or "
        "issue it (so that two devices never make two invoices of one draft). Make a new "
        "draft here, or finish it on that device."
    )
