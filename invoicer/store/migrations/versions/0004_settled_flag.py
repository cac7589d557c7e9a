"""A derived `settled` flag (paid + credited covers the total) as a virtual generated column,
so the few unsettled invoices have an index SQLite can match (it does not match arithmetic in
partial-index conditions); the rarely useful (kind, issue_date) index goes, as it lured the
planner away from the better ones.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UNSETTLED = "issued_at IS NOT NULL AND kind = 'invoice' AND settled = 0"


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":  # no VIRTUAL, no boolean-as-integer
        op.execute(
            "ALTER TABLE invoices ADD COLUMN settled INTEGER GENERATED ALWAYS AS "
            "(CASE WHEN paid_minor + credited_minor >= gross_minor THEN 1 ELSE 0 END) STORED"
        )
    else:
        op.execute(
            "ALTER TABLE invoices ADD COLUMN settled INTEGER "
            "GENERATED ALWAYS AS (paid_minor + credited_minor >= gross_minor) VIRTUAL"
        )
    op.execute("DROP INDEX IF EXISTS ix_invoices_unsettled")
    op.execute("DROP INDEX IF EXISTS ix_invoices_kind_issue_date")
    op.execute(f"CREATE INDEX ix_invoices_unsettled ON invoices (issue_date) WHERE {UNSETTLED}")
    op.execute("ANALYZE")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_invoices_unsettled")
    op.execute("CREATE INDEX ix_invoices_kind_issue_date ON invoices (kind, issue_date)")
    op.execute(
        "CREATE INDEX ix_invoices_unsettled ON invoices (issue_date) WHERE issued_at IS NOT NULL "
        "AND kind = 'invoice' AND paid_minor + credited_minor < gross_minor"
    )
    op.execute("ALTER TABLE invoices DROP COLUMN settled")
