"""The tables of sync (issue 20, DESIGN.md §11, docs/sync.md), in every store (one schema).

On the server:
- `sync_counters`: one row per shop whose log devices follow; `next_seq` is the next server
  sequence, moved by a trigger on each event inserted (migration 0015), so that numbers are
  handed out in commit order (a row lock, never a database sequence);
- `sync_feed`: the shop's events in that order (server_seq -> event id);
- `sync_devices`: the registered devices, their credential's hash, the chains they may push,
  revocation and quarantine;
- `sync_reviews`: events a revoked device pushed (documents it issued offline): kept, flagged
  for an admin.

On a device:
- `sync_link`: this store's link to its server (URL, device, cursor, what the server has
  confirmed, the last attempt and its outcome);
- `sync_inbox`: pulled events this version cannot apply yet (a newer schema): kept, never
  dropped, applied after an update.

On both:
- `sync_rejections`: events kept in their chain whose effect could not be applied (shown);
- `merge_state`, `field_writes`, `logical_clocks`: the per-field merge of mutable records
  (services/sync/merge.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, BigCounter, ShopHeld


class SyncCounter(ShopHeld, Base):
    __tablename__ = "sync_counters"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    next_seq: Mapped[int] = mapped_column(BigCounter)
    epoch: Mapped[str] = mapped_column(Text)  # a new one when the log is started again


class SyncFeed(ShopHeld, Base):
    __tablename__ = "sync_feed"
    __table_args__ = (
        PrimaryKeyConstraint("shop_id", "server_seq", name="pk_sync_feed"),
        UniqueConstraint("shop_id", "event_id"),
    )

    server_seq: Mapped[int] = mapped_column(BigCounter)
    event_id: Mapped[str] = mapped_column(String(36))


class SyncDevice(ShopHeld, Base):
    __tablename__ = "sync_devices"
    __table_args__ = (PrimaryKeyConstraint("shop_id", "device_id", name="pk_sync_devices"),)

    device_id: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(Text, index=True)  # SHA-256 of the credential
    token_prefix: Mapped[str] = mapped_column(Text)  # shown in lists
    chains: Mapped[str] = mapped_column(Text)  # JSON list: the device ids it may push
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(Text)
    quarantined_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    client_schema: Mapped[int | None] = mapped_column(Integer)


class SyncReview(ShopHeld, Base):
    __tablename__ = "sync_reviews"
    __table_args__ = (PrimaryKeyConstraint("shop_id", "event_id", name="pk_sync_reviews"),)

    event_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(Text)


class SyncRejection(ShopHeld, Base):
    __tablename__ = "sync_rejections"
    __table_args__ = (PrimaryKeyConstraint("shop_id", "event_id", name="pk_sync_rejections"),)

    event_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(Text)
    device_seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class SyncLink(ShopHeld, Base):
    __tablename__ = "sync_link"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    server_url: Mapped[str] = mapped_column(Text)
    remote_shop_id: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(Text)
    device_code: Mapped[str] = mapped_column(Text)
    device_name: Mapped[str] = mapped_column(Text)
    chains: Mapped[str] = mapped_column(Text)  # JSON list: the chains this device pushes
    cursor: Mapped[str | None] = mapped_column(Text)  # the server's, opaque
    epoch: Mapped[str | None] = mapped_column(Text)
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)


class SyncAck(ShopHeld, Base):
    """How far the server has confirmed each chain this device pushes."""

    __tablename__ = "sync_acks"
    __table_args__ = (PrimaryKeyConstraint("shop_id", "chain", name="pk_sync_acks"),)

    chain: Mapped[str] = mapped_column(Text)
    acked_seq: Mapped[int] = mapped_column(Integer)


class SyncInbox(ShopHeld, Base):
    __tablename__ = "sync_inbox"
    __table_args__ = (PrimaryKeyConstraint("shop_id", "server_seq", name="pk_sync_inbox"),)

    server_seq: Mapped[int] = mapped_column(BigCounter)
    event_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)  # the event as pulled (JSON)
    reason: Mapped[str] = mapped_column(Text)


class MergeState(ShopHeld, Base):
    """A mutable record's fields as merged: {field: [stamp, value]} (JSON)."""

    __tablename__ = "merge_state"
    __table_args__ = (
        PrimaryKeyConstraint("shop_id", "entity", "entity_id", name="pk_merge_state"),
    )

    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    fields: Mapped[str] = mapped_column(Text)


class FieldWrite(ShopHeld, Base):
    """Every write of a field a rule cannot settle alone (a customer's VAT number...): its
    stamp, the writes it saw (parents) and its value; concurrent leaves are a conflict."""

    __tablename__ = "field_writes"
    __table_args__ = (
        PrimaryKeyConstraint(
            "shop_id", "entity", "entity_id", "field", "stamp", name="pk_field_writes"
        ),
    )

    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(Text)
    stamp: Mapped[str] = mapped_column(Text)
    parents: Mapped[str] = mapped_column(Text)  # JSON list of stamps
    value: Mapped[str] = mapped_column(Text)  # JSON
    event_id: Mapped[str] = mapped_column(String(36))


class LogicalClock(ShopHeld, Base):
    __tablename__ = "logical_clocks"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    value: Mapped[int] = mapped_column(BigCounter)
