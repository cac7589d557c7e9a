"""Indexes that keep lists, searches and reports fast at a million invoices.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (index name, table, column expressions)
INDEXES = [
    ("ix_invoices_issue_date", "invoices", "issue_date, id"),
    ("ix_invoices_kind_issue_date", "invoices", "kind, issue_date"),
    ("ix_invoices_customer", "invoices", "customer_id, issue_date"),
    ("ix_invoices_customer_name", "invoices", "customer_name COLLATE NOCASE"),
    ("ix_invoices_number_nocase", "invoices", "number COLLATE NOCASE"),
    ("ix_invoices_due_date", "invoices", "due_date"),
    ("ix_invoices_credited_invoice", "invoices", "credited_invoice_id"),
    ("ix_invoice_lines_invoice", "invoice_lines", "invoice_id, position"),
    ("ix_vat_groups_invoice", "vat_groups", "invoice_id, position"),
    ("ix_payments_invoice", "payments", "invoice_id"),
    ("ix_customers_name", "customers", "name COLLATE NOCASE"),
    ("ix_products_name", "products", "name COLLATE NOCASE"),
    ("ix_audit_events_entity", "audit_events", "entity, entity_id"),
]


# PostgreSQL: the same case-insensitive order as a nondeterministic ICU collation, named as
# SQLAlchemy spells `collate("NOCASE")` there (quoted), so queries and indexes read alike.
PG_NOCASE = (
    'CREATE COLLATION IF NOT EXISTS "NOCASE" '
    "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    if postgresql:
        op.execute(PG_NOCASE)
    for name, table, columns in INDEXES:
        if postgresql:
            columns = columns.replace("COLLATE NOCASE", 'COLLATE "NOCASE"')
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def downgrade() -> None:
    for name, _table, _columns in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
