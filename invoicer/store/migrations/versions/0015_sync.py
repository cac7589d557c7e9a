"""Sync (issue 20, DESIGN.md §11, docs/sync.md): the server's per-shop feed of events in
commit order, its devices, reviews and refused events; a device's link to its server and its
inbox; the per-field merge of mutable records. A local file gets them empty.

The feed trigger: each event inserted for a shop that has a `sync_counters` row (a shop
devices follow, on a server) takes that row's `next_seq` and moves it on, in the inserting
transaction. The row stays locked until commit, so a later number is never committed before
an earlier one, which a database sequence allows (a reader past it would never see the
earlier one). Stores without a counter row (every device) pay one indexed lookup.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Counter = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

FEED_TRIGGER = """
    CREATE TRIGGER audit_events_feed AFTER INSERT ON audit_events
    WHEN EXISTS (SELECT 1 FROM sync_counters WHERE shop_id = NEW.shop_id)
    BEGIN
        UPDATE sync_counters SET next_seq = next_seq + 1 WHERE shop_id = NEW.shop_id;
        INSERT INTO sync_feed (shop_id, server_seq, event_id)
        VALUES (NEW.shop_id,
                (SELECT next_seq - 1 FROM sync_counters WHERE shop_id = NEW.shop_id), NEW.id);
    END
    """
PG_FEED = [
    """
    CREATE OR REPLACE FUNCTION invoicer_audit_events_feed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE taken bigint;
    BEGIN
        UPDATE sync_counters SET next_seq = next_seq + 1 WHERE shop_id = NEW.shop_id
        RETURNING next_seq - 1 INTO taken;
        IF FOUND THEN
            INSERT INTO sync_feed (shop_id, server_seq, event_id)
            VALUES (NEW.shop_id, taken, NEW.id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER audit_events_feed AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION invoicer_audit_events_feed()
    """,
]


def _shop(primary: bool = False) -> sa.Column[str]:
    return sa.Column(
        "shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False, primary_key=primary
    )


def upgrade() -> None:
    op.create_table(
        "sync_counters",
        _shop(primary=True),
        sa.Column("next_seq", Counter, nullable=False),
        sa.Column("epoch", sa.Text(), nullable=False),
    )
    op.create_table(
        "sync_feed",
        _shop(),
        sa.Column("server_seq", Counter, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "server_seq", name="pk_sync_feed"),
        sa.UniqueConstraint("shop_id", "event_id"),
    )
    op.create_table(
        "sync_devices",
        _shop(),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("token_prefix", sa.Text(), nullable=False),
        sa.Column("chains", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
        sa.Column("quarantined_at", sa.DateTime(), nullable=True),
        sa.Column("quarantine_reason", sa.Text(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("client_schema", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("shop_id", "device_id", name="pk_sync_devices"),
    )
    # Looked up by credential alone (which shop is what it tells); random, so never twice.
    op.create_index("ix_sync_devices_token_hash", "sync_devices", ["token_hash"])
    op.create_table(
        "sync_reviews",
        _shop(),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("shop_id", "event_id", name="pk_sync_reviews"),
    )
    op.create_table(
        "sync_rejections",
        _shop(),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "event_id", name="pk_sync_rejections"),
    )
    op.create_table(
        "sync_link",
        _shop(primary=True),
        sa.Column("server_url", sa.Text(), nullable=False),
        sa.Column("remote_shop_id", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("device_code", sa.Text(), nullable=False),
        sa.Column("device_name", sa.Text(), nullable=False),
        sa.Column("chains", sa.Text(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("epoch", sa.Text(), nullable=True),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("quarantine_reason", sa.Text(), nullable=True),
    )
    op.create_table(
        "sync_acks",
        _shop(),
        sa.Column("chain", sa.Text(), nullable=False),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "chain", name="pk_sync_acks"),
    )
    op.create_table(
        "sync_inbox",
        _shop(),
        sa.Column("server_seq", Counter, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "server_seq", name="pk_sync_inbox"),
    )
    op.create_table(
        "merge_state",
        _shop(),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "entity", "entity_id", name="pk_merge_state"),
    )
    op.create_table(
        "field_writes",
        _shop(),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("stamp", sa.Text(), nullable=False),
        sa.Column("parents", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint(
            "shop_id", "entity", "entity_id", "field", "stamp", name="pk_field_writes"
        ),
    )
    op.create_table(
        "logical_clocks",
        _shop(primary=True),
        sa.Column("value", Counter, nullable=False),
    )
    if op.get_context().dialect.name == "postgresql":
        for statement in PG_FEED:
            op.execute(statement)
    else:
        op.execute(FEED_TRIGGER)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_feed ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS invoicer_audit_events_feed()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_feed")
    for table in (
        "logical_clocks",
        "field_writes",
        "merge_state",
        "sync_inbox",
        "sync_acks",
        "sync_link",
        "sync_rejections",
        "sync_reviews",
        "sync_devices",
        "sync_feed",
        "sync_counters",
    ):
        op.drop_table(table)
