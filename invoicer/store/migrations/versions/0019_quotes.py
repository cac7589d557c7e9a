"""Quotes (issue 22, invoicer/store/quote_schema.py): a table of their own, outside
`invoices`, so no VAT report, revenue figure or trigger ever counts one.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

Money = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# An issued quote says what it said: its number, lines, VAT and totals never change and it
# is never deleted; its state (sent, accepted, declined) and the invoice it became may move.
FROZEN_QUOTE_COLUMNS = (
    "id", "number", "series", "year", "seq", "customer_id", "customer_name", "currency",
    "language", "issue_date", "valid_days", "valid_until", "notes", "lines", "vat_groups",
    "seller", "buyer", "net_minor", "vat_minor", "gross_minor", "issued_at", "created_at",
)  # fmt: skip
TRIGGER_NAMES = ("quotes_issued_frozen", "quotes_issued_no_delete")
_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_QUOTE_COLUMNS)
TRIGGERS = [
    f"""
    CREATE TRIGGER quotes_issued_frozen BEFORE UPDATE ON quotes
    WHEN OLD.issued_at IS NOT NULL AND ({_CHANGED})
    BEGIN SELECT RAISE(ABORT, 'issued quotes cannot be changed'); END
    """,
    """
    CREATE TRIGGER quotes_issued_no_delete BEFORE DELETE ON quotes
    WHEN OLD.issued_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'issued quotes cannot be deleted'); END
    """,
]
# JSON has no equality on PostgreSQL: compared as text (what was stored, byte for byte).
_PG_CHANGED = " OR ".join(
    f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text"
    if c in ("lines", "vat_groups", "seller", "buyer")
    else f"NEW.{c} IS DISTINCT FROM OLD.{c}"
    for c in FROZEN_QUOTE_COLUMNS
)
PG_TRIGGERS = [
    f"""
    CREATE OR REPLACE FUNCTION invoicer_quotes_issued_frozen() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.issued_at IS NOT NULL THEN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION USING MESSAGE = 'issued quotes cannot be deleted',
                    ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF {_PG_CHANGED} THEN
                RAISE EXCEPTION USING MESSAGE = 'issued quotes cannot be changed',
                    ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER quotes_issued_frozen BEFORE UPDATE ON quotes
    FOR EACH ROW EXECUTE FUNCTION invoicer_quotes_issued_frozen()
    """,
    """
    CREATE TRIGGER quotes_issued_no_delete BEFORE DELETE ON quotes
    FOR EACH ROW EXECUTE FUNCTION invoicer_quotes_issued_frozen()
    """,
]


def _ref(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["shop_id", column], [f"{target}.shop_id", f"{target}.id"], name=f"fk_{table}_{column}"
    )


def upgrade() -> None:
    op.create_table(
        "quotes",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("series", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("valid_days", sa.Integer(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("vat_groups", sa.JSON(), nullable=False),
        sa.Column("seller", sa.JSON(), nullable=True),
        sa.Column("buyer", sa.JSON(), nullable=True),
        sa.Column("net_minor", Money, nullable=False),
        sa.Column("vat_minor", Money, nullable=False),
        sa.Column("gross_minor", Money, nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=True),
        sa.Column("converted_positions", sa.JSON(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_quotes"),
        sa.UniqueConstraint("shop_id", "number", name="uq_quotes_shop_id_number"),
        _ref("quotes", "customer_id", "customers"),
        _ref("quotes", "invoice_id", "invoices"),
    )
    op.create_index("ix_quotes_id", "quotes", ["id"])
    op.create_index("ix_quotes_customer", "quotes", ["customer_id"])
    postgresql = op.get_context().dialect.name == "postgresql"
    for statement in PG_TRIGGERS if postgresql else TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("quotes")  # its triggers go with it
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS invoicer_quotes_issued_frozen()")
