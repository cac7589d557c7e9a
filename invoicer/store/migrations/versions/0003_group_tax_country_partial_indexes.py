"""VAT groups know whose VAT they are (OSS per Member State); partial indexes for the rows
lists and issuing look for: unsettled invoices, drafts, threshold-relevant sales.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The expressions must match invoicer/services/invoices.py word for word: SQLite uses a
# partial index only when the query repeats the index's WHERE terms.
UNSETTLED = (
    "issued_at IS NOT NULL AND kind = 'invoice' AND paid_minor + credited_minor < gross_minor"
)
INDEXES = [
    f"CREATE INDEX ix_invoices_unsettled ON invoices (issue_date) WHERE {UNSETTLED}",
    "CREATE INDEX ix_invoices_drafts ON invoices (created_at) WHERE issued_at IS NULL",
    "CREATE INDEX ix_invoices_eu_b2c ON invoices (year, eu_b2c_eur_minor) "
    "WHERE eu_b2c_eur_minor != 0",
    "CREATE INDEX ix_vat_groups_category ON vat_groups (category, invoice_id)",
]
GROUP_TRIGGER = (
    "CREATE TRIGGER vat_groups_issued_no_update BEFORE UPDATE ON vat_groups WHEN "
    "(SELECT issued_at FROM invoices WHERE id = OLD.invoice_id) IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END"
)


def upgrade() -> None:
    op.execute("ALTER TABLE vat_groups ADD COLUMN tax_country TEXT")
    # Filling in the new column is not a change to what was issued: lift the guard meanwhile.
    postgresql = op.get_context().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE vat_groups DISABLE TRIGGER vat_groups_issued_no_update")
    else:
        op.execute("DROP TRIGGER vat_groups_issued_no_update")
    op.execute(
        "UPDATE vat_groups SET tax_country = (SELECT l.tax_country FROM invoice_lines l "
        "WHERE l.invoice_id = vat_groups.invoice_id AND l.category = vat_groups.category "
        "AND l.rate = vat_groups.rate LIMIT 1)"
    )
    if postgresql:
        op.execute("ALTER TABLE vat_groups ENABLE TRIGGER vat_groups_issued_no_update")
    else:
        op.execute(GROUP_TRIGGER)
    for statement in INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for statement in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {statement.split()[2]}")
    op.execute("ALTER TABLE vat_groups DROP COLUMN tax_country")
