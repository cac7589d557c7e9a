"""The initial schema: shop, customers, products, numbering, invoices, payments, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa


# Frozen copies of the triggers as this revision created them (see invoicer/store/triggers.py).
TRIGGERS = [
    "CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE ON invoices WHEN OLD.issued_at IS NOT NULL AND ( NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.number IS NOT OLD.number OR NEW.series IS NOT OLD.series OR NEW.year IS NOT OLD.year OR NEW.seq IS NOT OLD.seq OR NEW.customer_id IS NOT OLD.customer_id OR NEW.customer_name IS NOT OLD.customer_name OR NEW.currency IS NOT OLD.currency OR NEW.language IS NOT OLD.language OR NEW.issue_date IS NOT OLD.issue_date OR NEW.supply_date IS NOT OLD.supply_date OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end OR NEW.due_days IS NOT OLD.due_days OR NEW.due_date IS NOT OLD.due_date OR NEW.buyer_reference IS NOT OLD.buyer_reference OR NEW.notes IS NOT OLD.notes OR NEW.credited_invoice_id IS NOT OLD.credited_invoice_id OR NEW.reason IS NOT OLD.reason OR NEW.seller IS NOT OLD.seller OR NEW.buyer IS NOT OLD.buyer OR NEW.requirements IS NOT OLD.requirements OR NEW.exchange_rate IS NOT OLD.exchange_rate OR NEW.net_minor IS NOT OLD.net_minor OR NEW.vat_minor IS NOT OLD.vat_minor OR NEW.gross_minor IS NOT OLD.gross_minor OR NEW.eu_b2c_eur_minor IS NOT OLD.eu_b2c_eur_minor OR NEW.issued_at IS NOT OLD.issued_at OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256)) BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices WHEN OLD.issued_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be deleted'); END",
    "CREATE TRIGGER invoice_lines_issued_no_insert BEFORE INSERT ON invoice_lines WHEN (SELECT issued_at FROM invoices WHERE id = NEW.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER invoice_lines_issued_no_update BEFORE UPDATE ON invoice_lines WHEN (SELECT issued_at FROM invoices WHERE id = OLD.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER invoice_lines_issued_no_delete BEFORE DELETE ON invoice_lines WHEN (SELECT issued_at FROM invoices WHERE id = OLD.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER vat_groups_issued_no_insert BEFORE INSERT ON vat_groups WHEN (SELECT issued_at FROM invoices WHERE id = NEW.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER vat_groups_issued_no_update BEFORE UPDATE ON vat_groups WHEN (SELECT issued_at FROM invoices WHERE id = OLD.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER vat_groups_issued_no_delete BEFORE DELETE ON vat_groups WHEN (SELECT issued_at FROM invoices WHERE id = OLD.invoice_id) IS NOT NULL BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END",
    "CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END",
    "CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events are append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events are append-only'); END",
]

# Money and event numbers outgrow PostgreSQL's 32-bit INTEGER; SQLite's INTEGER is 64-bit
# already (and `seq INTEGER PRIMARY KEY` must stay the rowid).
MONEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COUNTER = MONEY
# The PostgreSQL equivalents (plpgsql, invoicer/store/pg_triggers.py): no PostgreSQL store is
# older than these, so they are written once there for every revision that needs them.
PG_TRIGGERS = [statement.split()[2] for statement in TRIGGERS]

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('seq', COUNTER, autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('entity', sa.Text(), nullable=False),
    sa.Column('entity_id', sa.Text(), nullable=False),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.Text(), nullable=False),
    sa.Column('hash', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events'))
    )
    op.create_table('customers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('postcode', sa.Text(), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('vat_number', sa.Text(), nullable=True),
    sa.Column('is_business', sa.Boolean(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('payment_terms_days', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('vies_valid', sa.Boolean(), nullable=True),
    sa.Column('vies_checked_at', sa.DateTime(), nullable=True),
    sa.Column('vies_name', sa.Text(), nullable=True),
    sa.Column('vies_address', sa.Text(), nullable=True),
    sa.Column('vies_request_id', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    op.create_table('number_series',
    sa.Column('series', sa.Text(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('next_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', 'year', name=op.f('pk_number_series'))
    )
    op.create_table('products',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('unit_code', sa.Text(), nullable=False),
    sa.Column('unit_price', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate_class', sa.Text(), nullable=False),
    sa.Column('supply_kind', sa.Text(), nullable=False),
    sa.Column('art59_service', sa.Boolean(), nullable=False),
    sa.Column('sku', sa.Text(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products'))
    )
    op.create_table('shop',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('legal_name', sa.Text(), nullable=False),
    sa.Column('trading_name', sa.Text(), nullable=True),
    sa.Column('street', sa.Text(), nullable=False),
    sa.Column('postcode', sa.Text(), nullable=False),
    sa.Column('city', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('vat_number', sa.Text(), nullable=True),
    sa.Column('registration_number', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('iban', sa.Text(), nullable=True),
    sa.Column('bic', sa.Text(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('vat_status', sa.Text(), nullable=False),
    sa.Column('oss_opt_in', sa.Boolean(), nullable=False),
    sa.Column('invoice_number_format', sa.Text(), nullable=False),
    sa.Column('credit_note_number_format', sa.Text(), nullable=False),
    sa.Column('eu_b2c_sales_outside_current_year', sa.Text(), nullable=False),
    sa.Column('eu_b2c_sales_outside_previous_year', sa.Text(), nullable=False),
    sa.Column('logo_path', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop'))
    )
    op.create_table('invoices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('number', sa.Text(), nullable=True),
    sa.Column('series', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('customer_name', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('supply_date', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('due_days', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('buyer_reference', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('credited_invoice_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('seller', sa.JSON(), nullable=True),
    sa.Column('buyer', sa.JSON(), nullable=True),
    sa.Column('requirements', sa.JSON(), nullable=True),
    sa.Column('exchange_rate', sa.Text(), nullable=True),
    sa.Column('net_minor', MONEY, nullable=False),
    sa.Column('vat_minor', MONEY, nullable=False),
    sa.Column('gross_minor', MONEY, nullable=False),
    sa.Column('eu_b2c_eur_minor', MONEY, nullable=False),
    sa.Column('paid_minor', MONEY, nullable=False),
    sa.Column('credited_minor', MONEY, nullable=False),
    sa.Column('pdf_sha256', sa.Text(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['credited_invoice_id'], ['invoices.id'], name=op.f('fk_invoices_credited_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_invoices_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_invoices_number'))
    )
    op.create_table('invoice_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Text(), nullable=False),
    sa.Column('unit_code', sa.Text(), nullable=False),
    sa.Column('unit_price', sa.Text(), nullable=False),
    sa.Column('rate_class', sa.Text(), nullable=False),
    sa.Column('supply_kind', sa.Text(), nullable=False),
    sa.Column('art59_service', sa.Boolean(), nullable=False),
    sa.Column('net_minor', MONEY, nullable=False),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('rate', sa.Text(), nullable=True),
    sa.Column('exemption_code', sa.Text(), nullable=True),
    sa.Column('exemption_text', sa.Text(), nullable=True),
    sa.Column('tax_country', sa.Text(), nullable=True),
    sa.Column('credited_line_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['credited_line_id'], ['invoice_lines.id'], name=op.f('fk_invoice_lines_credited_line_id_invoice_lines')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_lines_invoice_id_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_invoice_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_lines'))
    )
    op.create_table('payments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('amount_minor', MONEY, nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=True),
    sa.Column('external_id', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('overpayment', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payments_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('method', 'external_id', name=op.f('uq_payments_method_external_id'))
    )
    op.create_table('vat_groups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('rate', sa.Text(), nullable=False),
    sa.Column('taxable_minor', MONEY, nullable=False),
    sa.Column('tax_minor', MONEY, nullable=False),
    sa.Column('exemption_code', sa.Text(), nullable=True),
    sa.Column('exemption_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_vat_groups_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vat_groups'))
    )
    if op.get_context().dialect.name != "sqlite":
        from invoicer.store.pg_triggers import statements

        for statement in statements(PG_TRIGGERS):
            op.execute(statement)
        return
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("PRAGMA application_id = 1229870659")  # "INVC": an Invoicer database


def downgrade() -> None:
    if op.get_context().dialect.name != "sqlite":
        from invoicer.store.pg_triggers import drop_statements

        for statement in drop_statements(PG_TRIGGERS):
            op.execute(statement)
    else:
        for statement in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.drop_table('vat_groups')
    op.drop_table('payments')
    op.drop_table('invoice_lines')
    op.drop_table('invoices')
    op.drop_table('shop')
    op.drop_table('products')
    op.drop_table('number_series')
    op.drop_table('customers')
    op.drop_table('audit_events')
