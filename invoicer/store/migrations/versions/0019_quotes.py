"""Quotes (issue 22, invoicer/store/quote_schema.py): a table of their own, outside
`invoices`, so no VAT report, revenue figure or trigger ever counts one.

Revision ID: 0019
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0016"
branch_labels = None
depends_on = None

Money = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


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


def downgrade() -> None:
    op.drop_table("quotes")
