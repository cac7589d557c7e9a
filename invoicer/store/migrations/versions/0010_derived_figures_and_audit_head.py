"""Close the holes an auditor found (issue 17):

- `paid_minor` and `credited_minor` are kept by triggers as the sums of an invoice's payments
  and issued credit notes, and may hold nothing else: setting them by hand is refused.
- A number counter only ever moves up by one (one issued document) and is never deleted.
- `audit_head` holds the newest event's number and hash, moved by a trigger as events are
  appended: cutting the chain's tail then shows as a head past the chain's end.

Values already in the file are left as they are (`audit verify` reports any that disagree);
the head starts at the chain's current end.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen copies of the triggers as this revision creates them (see invoicer/store/triggers.py).
# INDEXED BY: statistics gathered while no invoice was credited (every credited_invoice_id
# NULL) would otherwise lead SQLite to scan every invoice for each credit note.
PAID = (
    "(SELECT COALESCE(SUM(amount_minor), 0) FROM payments INDEXED BY ix_payments_invoice "
    "WHERE invoice_id = {id})"
)
CREDITED = (
    "(SELECT COALESCE(-SUM(gross_minor), 0) FROM invoices INDEXED BY "
    "ix_invoices_credited_invoice WHERE credited_invoice_id = {id} "
    "AND kind = 'credit_note' AND issued_at IS NOT NULL)"
)
HEAD_IS_CHAIN_END = (
    "NEW.seq IS (SELECT MAX(seq) FROM audit_events) "
    "AND NEW.hash IS (SELECT hash FROM audit_events WHERE seq = NEW.seq)"
)

TRIGGERS = [
    f"""
    CREATE TRIGGER payments_keep_paid AFTER INSERT ON payments
    BEGIN
        UPDATE invoices SET paid_minor = {PAID.format(id="NEW.invoice_id")}
        WHERE id = NEW.invoice_id;
    END
    """,
    f"""
    CREATE TRIGGER credit_notes_keep_credited AFTER UPDATE OF issued_at ON invoices
    WHEN NEW.kind = 'credit_note' AND OLD.issued_at IS NULL AND NEW.issued_at IS NOT NULL
        AND NEW.credited_invoice_id IS NOT NULL
    BEGIN
        UPDATE invoices SET credited_minor = {CREDITED.format(id="NEW.credited_invoice_id")}
        WHERE id = NEW.credited_invoice_id;
    END
    """,
    f"""
    CREATE TRIGGER invoices_paid_is_derived BEFORE UPDATE OF paid_minor ON invoices
    WHEN NEW.paid_minor IS NOT {PAID.format(id="NEW.id")}
    BEGIN SELECT RAISE(ABORT, 'paid_minor is the sum of the payments'); END
    """,
    f"""
    CREATE TRIGGER invoices_credited_is_derived BEFORE UPDATE OF credited_minor ON invoices
    WHEN NEW.credited_minor IS NOT {CREDITED.format(id="NEW.id")}
    BEGIN SELECT RAISE(ABORT, 'credited_minor is the sum of the credit notes'); END
    """,
    """
    CREATE TRIGGER invoices_start_unpaid BEFORE INSERT ON invoices
    WHEN NEW.paid_minor IS NOT 0 OR NEW.credited_minor IS NOT 0
    BEGIN SELECT RAISE(ABORT, 'a new invoice has no payments or credit notes yet'); END
    """,
    """
    CREATE TRIGGER number_series_one_step BEFORE UPDATE ON number_series
    WHEN NEW.series IS NOT OLD.series OR NEW.year IS NOT OLD.year
        OR NEW.next_seq IS NOT OLD.next_seq + 1
    BEGIN SELECT RAISE(ABORT, 'number counters only move on by one'); END
    """,
    """
    CREATE TRIGGER number_series_no_delete BEFORE DELETE ON number_series
    BEGIN SELECT RAISE(ABORT, 'number counters are never deleted'); END
    """,
    """
    CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events
    BEGIN
        INSERT INTO audit_head (id, seq, hash) VALUES (1, NEW.seq, NEW.hash)
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
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


def trigger_name(statement: str) -> str:
    return statement.split()[2]


PG_HEAD = (
    "CREATE TABLE audit_head (id INTEGER NOT NULL CHECK (id = 1), seq BIGINT NOT NULL, "
    "hash TEXT NOT NULL, CONSTRAINT pk_audit_head PRIMARY KEY (id))"
)


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    if postgresql:
        op.execute(PG_HEAD)
    else:
        op.execute(
            "CREATE TABLE audit_head (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
            "seq INTEGER NOT NULL, hash TEXT NOT NULL)"
        )
    op.execute(
        "INSERT INTO audit_head (id, seq, hash) "
        "SELECT 1, seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
    )
    if postgresql:
        from invoicer.store.pg_triggers import statements

        for statement in statements([trigger_name(s) for s in TRIGGERS]):
            op.execute(statement)
        return
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        from invoicer.store.pg_triggers import drop_statements

        for statement in drop_statements([trigger_name(s) for s in reversed(TRIGGERS)]):
            op.execute(statement)
    else:
        for statement in reversed(TRIGGERS):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(statement)}")
    op.execute("DROP TABLE IF EXISTS audit_head")
