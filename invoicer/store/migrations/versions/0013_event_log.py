"""The event log becomes a sync feed (issue 18, DESIGN.md §11):

- each audit event gets a UUID, the device that wrote it, its number in that device's chain
  (`device_seq`) and a schema version; the hash chain is per device;
- `audit_head` holds one head per device;
- `devices`: the registered devices, each with its short code and the prefix of its number
  series.

Existing events become device "local", schema version 1 (their hash stays as it was: the
legacy chain verifies as before), `device_seq` = `seq` (so an event removed before the
upgrade still shows as missing), each with a fresh UUID; the stored head carries over as
device "local"'s, unchanged (a tail cut before the upgrade still shows). No device is
registered: a single-device store keeps its numbers.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

APPEND_ONLY = [
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events are append-only'); END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events are append-only'); END
    """,
]

HEAD_IS_CHAIN_END = (
    "NEW.seq IS (SELECT MAX(device_seq) FROM audit_events "
    "WHERE shop_id = NEW.shop_id AND device_id = NEW.device_id) "
    "AND NEW.hash IS (SELECT hash FROM audit_events "
    "WHERE shop_id = NEW.shop_id AND device_id = NEW.device_id AND device_seq = NEW.seq)"
)

# Frozen copies of the head triggers as this revision makes them: 0010's, per device.
HEAD_TRIGGERS = [
    """
    CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events
    BEGIN
        INSERT INTO audit_head (shop_id, device_id, seq, hash)
        VALUES (NEW.shop_id, NEW.device_id, NEW.device_seq, NEW.hash)
        ON CONFLICT (shop_id, device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
    END
    """,
    f"""
    CREATE TRIGGER audit_head_insert_follows_chain BEFORE INSERT ON audit_head
    WHEN NOT ({HEAD_IS_CHAIN_END})
    BEGIN SELECT RAISE(ABORT, 'the audit head is the newest event'); END
    """,
    f"""
    CREATE TRIGGER audit_head_update_follows_chain BEFORE UPDATE ON audit_head
    WHEN NOT ({HEAD_IS_CHAIN_END})
    BEGIN SELECT RAISE(ABORT, 'the audit head is the newest event'); END
    """,
    """
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN SELECT RAISE(ABORT, 'the audit head is never deleted'); END
    """,
]
TRIGGERS = APPEND_ONLY + HEAD_TRIGGERS

# PostgreSQL: the triggers keep their names and texts (store/pg_triggers.py); the two head
# functions they call become per device, within the shop. The head moves in a statement
# trigger (a multi-row INSERT fires row triggers only once it is done): each device's newest.
_PG_RAISE = "RAISE EXCEPTION USING MESSAGE = {message}, ERRCODE = 'integrity_constraint_violation'"
PG_HEAD_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION invoicer_audit_events_move_head() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO audit_head (shop_id, device_id, seq, hash)
        SELECT DISTINCT ON (shop_id, device_id) shop_id, device_id, device_seq, hash
        FROM new_events ORDER BY shop_id, device_id, device_seq DESC
        ON CONFLICT (shop_id, device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoicer_audit_head_follows_chain() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT (NEW.seq IS NOT DISTINCT FROM
                    (SELECT MAX(device_seq) FROM audit_events
                     WHERE shop_id = NEW.shop_id AND device_id = NEW.device_id)
                AND NEW.hash IS NOT DISTINCT FROM
                    (SELECT hash FROM audit_events WHERE shop_id = NEW.shop_id
                     AND device_id = NEW.device_id AND device_seq = NEW.seq)) THEN
            {_PG_RAISE.format(message="'the audit head is the newest event'")};
        END IF;
        RETURN NEW;
    END $$
    """,
]


def trigger_name(statement: str) -> str:
    return statement.split()[2]


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def _drop_triggers() -> None:
    names = [trigger_name(statement) for statement in reversed(TRIGGERS)]
    if _postgresql():
        from invoicer.store.pg_triggers import drop_statements

        for statement in drop_statements(names):
            op.execute(statement)
        return
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_triggers() -> None:
    if _postgresql():
        from invoicer.store.pg_triggers import TRIGGERS as PG_TRIGGERS

        # The functions first, then the triggers alone (pg_triggers.statements would also
        # put back the functions as of 0011, 0012's VAT day-total function among them).
        for statement in PG_HEAD_FUNCTIONS:
            op.execute(statement)
        for statement in TRIGGERS:
            op.execute(PG_TRIGGERS[trigger_name(statement)][1])
        return
    for statement in TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    _drop_triggers()  # the old head triggers and append-only guards; made again below
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("device_id", sa.Text(), nullable=True))
        batch.add_column(sa.Column("device_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("schema_version", sa.Integer(), nullable=True))
    op.execute("UPDATE audit_events SET device_id = 'local', device_seq = seq, schema_version = 1")
    connection = op.get_bind()
    seqs = connection.execute(sa.text("SELECT seq FROM audit_events")).scalars().all()
    if seqs:
        connection.execute(
            sa.text("UPDATE audit_events SET id = :id WHERE seq = :seq"),
            [{"id": str(uuid.uuid4()), "seq": seq} for seq in seqs],
        )
    with op.batch_alter_table("audit_events") as batch:
        for name in ("id", "device_id", "device_seq", "schema_version"):
            batch.alter_column(name, nullable=False)
        batch.create_unique_constraint("uq_audit_events_shop_id_id", ["shop_id", "id"])
        batch.create_unique_constraint(
            "uq_audit_events_shop_id_device_id_device_seq", ["shop_id", "device_id", "device_seq"]
        )

    # The one head of 0010, kept aside while its table is made again (a PostgreSQL table's
    # constraint names stay with it through a rename).
    head = connection.execute(sa.text("SELECT seq, hash FROM audit_head")).first()
    op.drop_table("audit_head")
    op.create_table(
        "audit_head",
        sa.Column("shop_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name="fk_audit_head_shop_id_shops"),
        sa.PrimaryKeyConstraint("shop_id", "device_id", name="pk_audit_head"),
    )
    # The one chain of 0012 is its file's one shop's (a file with no events has no head).
    if head is not None:
        connection.execute(
            sa.text(
                "INSERT INTO audit_head (shop_id, device_id, seq, hash) "
                "SELECT id, 'local', :seq, :hash FROM shops"
            ),
            {"seq": head.seq, "hash": head.hash},
        )

    op.create_table(
        "devices",
        sa.Column("shop_id", sa.String(36), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("series_prefix", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name="fk_devices_shop_id_shops"),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_devices"),
        sa.UniqueConstraint("shop_id", "code", name="uq_devices_shop_id_code"),
        sa.UniqueConstraint(
            "shop_id", "series_prefix", name="uq_devices_shop_id_series_prefix"
        ),
    )
    op.create_index("ix_devices_id", "devices", ["id"])
    _create_triggers()


def _legacy_hash(prev: str, at: str, actor: str, action: str, entity: str, eid: str, state: str) -> str:
    """The hash before this revision (store/audit.py's event_hash, frozen here)."""
    stamp = dt.datetime.fromisoformat(at).isoformat()
    payload = "|".join((prev, stamp, actor, action, entity, eid, state))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _rechain_as_one() -> None:
    """One chain in `seq` order under the old rule: what the old schema can verify. Events of
    version 1 keep their hashes; later ones get new ones (a head kept outside no longer
    matches a downgraded file)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT seq, at, actor, action, entity, entity_id, state, prev_hash, hash "
            "FROM audit_events ORDER BY seq"
        )
    ).all()
    prev = "0" * 64
    changed = []
    for seq, at, actor, action, entity, entity_id, state, old_prev, old_hash in rows:
        new = _legacy_hash(prev, str(at), actor, action, entity, entity_id, state)
        if (old_prev, old_hash) != (prev, new):
            changed.append({"seq": seq, "prev": prev, "hash": new})
        prev = new
    if changed:
        connection.execute(
            sa.text("UPDATE audit_events SET prev_hash = :prev, hash = :hash WHERE seq = :seq"),
            changed,
        )


def downgrade() -> None:
    # Back to one chain, re-hashed the old way (see _rechain_as_one).
    if _postgresql():
        raise NotImplementedError("a PostgreSQL store keeps its per-device chains")
    from importlib import import_module

    before = import_module("invoicer.store.migrations.versions.0010_derived_figures_and_audit_head")
    _drop_triggers()
    _rechain_as_one()
    op.drop_table("devices")
    op.drop_table("audit_head")
    op.execute(
        "CREATE TABLE audit_head (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
        "seq INTEGER NOT NULL, hash TEXT NOT NULL)"
    )
    op.execute(
        "INSERT INTO audit_head (id, seq, hash) "
        "SELECT 1, seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_shop_id_device_id_device_seq", type_="unique")
        batch.drop_constraint("uq_audit_events_shop_id_id", type_="unique")
        for name in ("schema_version", "device_seq", "device_id", "id"):
            batch.drop_column(name)
    for statement in APPEND_ONLY:
        op.execute(statement)
    for statement in before.TRIGGERS:
        if before.trigger_name(statement).startswith("audit_"):
            op.execute(statement)
