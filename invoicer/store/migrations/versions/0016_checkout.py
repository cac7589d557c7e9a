"""Getting paid online through the server (issue 21, invoicer/store/checkout_schema.py):
hosted checkout sessions, the webhook events seen per shop, and refund proposals; the
indexes of the merchant stats.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

Money = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _shop() -> sa.Column[str]:
    return sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False)


def _ref(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["shop_id", column], [f"{target}.shop_id", f"{target}.id"], name=f"fk_{table}_{column}"
    )


def upgrade() -> None:
    op.create_table(
        "checkout_sessions",
        _shop(),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=True),
        sa.Column("customer_id", sa.String(36), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=True),
        sa.Column("buyer", sa.JSON(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", Money, nullable=False),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("provider_session", sa.Text(), nullable=True),
        sa.Column("payment_id", sa.String(36), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_checkout_sessions"),
        _ref("checkout_sessions", "invoice_id", "invoices"),
        _ref("checkout_sessions", "customer_id", "customers"),
    )
    op.create_index("ix_checkout_sessions_id", "checkout_sessions", ["id"])
    op.create_index("ix_checkout_sessions_invoice", "checkout_sessions", ["invoice_id"])
    op.create_table(
        "webhook_events",
        _shop(),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("payment_id", sa.String(36), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "provider", "event_id", name="pk_webhook_events"),
    )
    op.create_table(
        "refund_proposals",
        _shop(),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("amount_minor", Money, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_refund_proposals"),
        _ref("refund_proposals", "invoice_id", "invoices"),
    )
    op.create_index("ix_refund_proposals_id", "refund_proposals", ["id"])
    op.create_index("ix_refund_proposals_status", "refund_proposals", ["status"])


    # The merchant stats: received per day, issued invoices by day with what they owe.
    op.create_index("ix_payments_date", "payments", ["date", "currency", "amount_minor"])
    issued = sa.text("issued_at IS NOT NULL")
    op.create_index(
        "ix_invoices_issued_stats",
        "invoices",
        [
            "issue_date",
            "kind",
            "currency",
            "customer_id",
            "gross_minor",
            "paid_minor",
            "credited_minor",
            "settled",
        ],
        sqlite_where=issued,
        postgresql_where=issued,
    )


def downgrade() -> None:
    op.drop_index("ix_invoices_issued_stats", "invoices")
    op.drop_index("ix_payments_date", "payments")
    op.drop_table("refund_proposals")
    op.drop_table("webhook_events")
    op.drop_table("checkout_sessions")
