"""VAT totals per day, kept by a trigger as documents are issued: the VAT summary reads these
instead of every VAT group of the period.

A year of a store with 1,000,000 invoices holds ~600,000 VAT groups but only a few thousand
(day, category, rate, currency, tax country, seller country, buyer VAT number) totals. Issued
documents never change (triggers), so a total added when a document is issued stays right;
the buyer's VAT number is kept only for the intra-Community categories (K, AE), whose report
lists each buyer. Empty text stands for "none" so that the key can be a primary key.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KEY = "issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number"


def _totals(invoice: str, source: str, where: str, day: str = "{invoice}.issue_date") -> str:
    """SELECT the groups' totals per key; `invoice` names their invoice (NEW in the trigger)."""
    return f"""
        SELECT {day.format(invoice=invoice)}, g.category, g.rate, {invoice}.currency,
               COALESCE(g.tax_country, ''), COALESCE({invoice}.seller_country, ''),
               CASE WHEN g.category IN ('K', 'AE')
                    THEN COALESCE({invoice}.buyer_vat_number, '') ELSE '' END,
               SUM(g.taxable_minor), SUM(g.tax_minor)
        FROM {source}
        WHERE {where}
        GROUP BY 1, 2, 3, 4, 5, 6, 7
    """


TRIGGER = f"""
        CREATE TRIGGER vat_day_totals_on_issue AFTER UPDATE OF issued_at ON invoices
        WHEN OLD.issued_at IS NULL AND NEW.issued_at IS NOT NULL
        BEGIN
            INSERT INTO vat_day_totals ({KEY}, taxable_minor, tax_minor)
            {_totals("NEW", "vat_groups AS g", "g.invoice_id = NEW.id")}
            ON CONFLICT ({KEY}) DO UPDATE SET
                taxable_minor = taxable_minor + excluded.taxable_minor,
                tax_minor = tax_minor + excluded.tax_minor;
        END
        """

# PostgreSQL: the same table (a heap with a primary key), the trigger from pg_triggers.py.
PG_TABLE = f"""
    CREATE TABLE vat_day_totals (
        issue_date TEXT NOT NULL,
        category TEXT NOT NULL,
        rate TEXT NOT NULL,
        currency TEXT NOT NULL,
        tax_country TEXT NOT NULL,
        seller_country TEXT NOT NULL,
        buyer_vat_number TEXT NOT NULL,
        taxable_minor BIGINT NOT NULL,
        tax_minor BIGINT NOT NULL,
        CONSTRAINT pk_vat_day_totals PRIMARY KEY ({KEY})
    )
"""


def _upgrade_postgresql() -> None:
    from invoicer.store.pg_triggers import statements

    op.execute(PG_TABLE)
    for statement in statements(["vat_day_totals_on_issue"]):
        op.execute(statement)
    op.execute(
        f"""
        INSERT INTO vat_day_totals ({KEY}, taxable_minor, tax_minor)
        {_totals("i", "invoices AS i JOIN vat_groups AS g ON g.invoice_id = i.id",
                 "i.issued_at IS NOT NULL", "to_char({invoice}.issue_date, 'YYYY-MM-DD')")}
        """
    )


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _upgrade_postgresql()
        return
    op.execute(
        f"""
        CREATE TABLE vat_day_totals (
            issue_date TEXT NOT NULL,
            category TEXT NOT NULL,
            rate TEXT NOT NULL,
            currency TEXT NOT NULL,
            tax_country TEXT NOT NULL,
            seller_country TEXT NOT NULL,
            buyer_vat_number TEXT NOT NULL,
            taxable_minor INTEGER NOT NULL,
            tax_minor INTEGER NOT NULL,
            PRIMARY KEY ({KEY})
        ) WITHOUT ROWID
        """
    )
    op.execute(TRIGGER)
    # What is already issued, in one pass.
    op.execute(
        f"""
        INSERT INTO vat_day_totals ({KEY}, taxable_minor, tax_minor)
        {_totals("i", "invoices AS i JOIN vat_groups AS g ON g.invoice_id = i.id",
                 "i.issued_at IS NOT NULL")}
        """
    )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS vat_day_totals_on_issue ON invoices")
    else:
        op.execute("DROP TRIGGER IF EXISTS vat_day_totals_on_issue")
    op.execute("DROP TABLE IF EXISTS vat_day_totals")
