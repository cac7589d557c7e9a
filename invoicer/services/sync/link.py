"""A store's link to its sync server, read cheaply: which device this store writes as (every
Services opened on a linked store asks once), whether that device may issue, and what waits
to be sent."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from invoicer.domain.errors import Conflict
from invoicer.store import schema
from invoicer.store.database import Database
from invoicer.store.sync_schema import SyncAck, SyncLink
from invoicer.store.tenancy import shop_of

_LINK = SyncLink.__table__.c
_EVENTS = schema.AuditEvent.__table__.c
# Built once, Core: one of these runs when services open, the other in every issue.
_LINKED_DEVICE = select(_LINK.device_id).limit(1)
_LINKED_DEVICE_OF = _LINKED_DEVICE.where(_LINK.shop_id == bindparam("shop"))
_REVOKED = select(_LINK.revoked_at).where(
    _LINK.shop_id == bindparam("shop"), _LINK.device_id == bindparam("device")
)

REVOKED_MESSAGE = (
    "This device was revoked on the sync server: it keeps working locally (drafts, customers, "
    "products) but cannot issue invoices or credit notes until it is registered again "
    "(`invoicer sync setup`, from a new store)."
)
NOT_READY_MESSAGE = (
    "This device has not received its own number series yet: run `invoicer sync` once "
    "online before issuing."
)


def linked_device(db: Database, shop_id: str | None) -> str | None:
    """The device id this store writes its events as once linked (None: not linked)."""
    with db.engine.connect() as connection:
        if shop_id is None:
            return connection.execute(_LINKED_DEVICE).scalar()
        return connection.execute(_LINKED_DEVICE_OF, {"shop": shop_id}).scalar()


def check_may_issue(session: Session, shop_id: str, device_id: str, prefix: str | None) -> None:
    """Refuse issuing from a linked device that was revoked, or that has no series yet
    (`prefix` None: its registration has not been pulled)."""
    found = session.connection().execute(_REVOKED, {"shop": shop_id, "device": device_id})
    row = found.first()
    if row is None:
        return  # not a linked device (the server's, a store without sync)
    if row[0] is not None:
        raise Conflict(REVOKED_MESSAGE)
    if prefix is None:
        raise Conflict(NOT_READY_MESSAGE)


def chains_of(link: SyncLink) -> list[str]:
    return [str(chain) for chain in json.loads(link.chains)]


def acks_of(session: Session) -> dict[str, int]:
    rows = session.execute(select(SyncAck.chain, SyncAck.acked_seq)).all()
    return {str(chain): int(seq) for chain, seq in rows}


def pending_count(session: Session, link: SyncLink) -> int:
    """This device's events the server has not confirmed yet."""
    acks = acks_of(session)
    total = 0
    for chain in chains_of(link):
        count = select(func.count()).where(
            _EVENTS.shop_id == shop_of(session),
            _EVENTS.device_id == chain,
            _EVENTS.device_seq > acks.get(chain, 0),
        )
        total += session.execute(count).scalar() or 0
    return total
