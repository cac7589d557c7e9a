"""Indexes that let the VAT summary read one index range instead of every invoice row.

The seller's country and the buyer's VAT number live in the frozen JSON snapshots; as virtual
generated columns they can be indexed, so the report needs neither the (large) invoice rows
nor JSON parsing per row. The VAT-group index leads with invoice_id and carries every figure
the report sums, so it also replaces the two older group indexes.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":  # PostgreSQL 15 has STORED only
        op.execute(
            "ALTER TABLE invoices ADD COLUMN seller_country TEXT "
            "GENERATED ALWAYS AS (seller ->> 'country') STORED"
        )
        op.execute(
            "ALTER TABLE invoices ADD COLUMN buyer_vat_number TEXT "
            "GENERATED ALWAYS AS (buyer ->> 'vat_number') STORED"
        )
    else:
        op.execute(
            "ALTER TABLE invoices ADD COLUMN seller_country TEXT "
            "GENERATED ALWAYS AS (json_extract(seller, '$.country')) VIRTUAL"
        )
        op.execute(
            "ALTER TABLE invoices ADD COLUMN buyer_vat_number TEXT "
            "GENERATED ALWAYS AS (json_extract(buyer, '$.vat_number')) VIRTUAL"
        )
    op.execute(
        "CREATE INDEX ix_invoices_vat_report ON invoices "
        "(issue_date, id, currency, seller_country, buyer_vat_number) "
        "WHERE issued_at IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX ix_vat_groups_report ON vat_groups "
        "(invoice_id, category, rate, tax_country, taxable_minor, tax_minor)"
    )
    op.execute("DROP INDEX IF EXISTS ix_vat_groups_category")
    op.execute("DROP INDEX IF EXISTS ix_vat_groups_invoice")
    op.execute("ANALYZE")


def downgrade() -> None:
    op.execute("CREATE INDEX ix_vat_groups_invoice ON vat_groups (invoice_id, position)")
    op.execute("CREATE INDEX ix_vat_groups_category ON vat_groups (category, invoice_id)")
    op.execute("DROP INDEX IF EXISTS ix_vat_groups_report")
    op.execute("DROP INDEX IF EXISTS ix_invoices_vat_report")
    op.execute("ALTER TABLE invoices DROP COLUMN buyer_vat_number")
    op.execute("ALTER TABLE invoices DROP COLUMN seller_country")
