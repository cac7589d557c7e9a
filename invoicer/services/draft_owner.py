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


def check_owner(session: Session, invoice_id: str) -> None:
    """Refuse to touch a draft another device made."""
    connection = session.connection()
    shop = shop_of(session)
    owner = connection.execute(_MADE_BY, {"shop": shop, "invoice": invoice_id}).scalar()
    device = audit.writer_of(session).device_id
    if owner is None or owner == device:
        return
    chains = connection.execute(_CHAINS, {"shop": shop}).scalar()
    if chains and owner in json.loads(chains):  # this store's history, from before sync
        return
    code = connection.execute(_CODE, {"shop": shop, "device": owner}).scalar() or owner
    raise Conflict(
        f"This draft was made on device {code}, and only that device can change, delete or "
        "issue it (so that two devices never make two invoices of one draft). Make a new "
        "draft here, or finish it on that device."
    )
