"""The unsettled-invoices index carries every figure the dashboard, the ageing report and the
open/overdue lists read (due date, currency, gross, paid, credited), so those read the index
alone instead of one invoice row per unpaid invoice (60,000 rows in a store of 1,000,000).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Word for word as services/status.py says it (SQLite matches partial indexes textually).
UNSETTLED = "issued_at IS NOT NULL AND kind = 'invoice' AND settled = 0"


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_invoices_unsettled")
    op.execute(
        "CREATE INDEX ix_invoices_unsettled ON invoices "
        f"(issue_date, due_date, currency, gross_minor, paid_minor, credited_minor) WHERE {UNSETTLED}"
    )
    op.execute("ANALYZE invoices")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_invoices_unsettled")
    op.execute(f"CREATE INDEX ix_invoices_unsettled ON invoices (issue_date) WHERE {UNSETTLED}")
