"""Recurring invoices (issue 22, invoicer/store/recurring_schema.py): templates and the
periods made of them, one row per (template, period index).

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _shop() -> sa.Column[str]:
    return sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False)


def _ref(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["shop_id", column], [f"{target}.shop_id", f"{target}.id"], name=f"fk_{table}_{column}"
    )


def upgrade() -> None:
    op.create_table(
        "recurring_templates",
        _shop(),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.Text(), nullable=False),
        sa.Column("every", sa.Integer(), nullable=True),
        sa.Column("day_of_month", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_after", sa.Integer(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("auto_issue", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_recurring_templates"),
        _ref("recurring_templates", "customer_id", "customers"),
    )
    op.create_index("ix_recurring_templates_id", "recurring_templates", ["id"])
    op.create_table(
        "recurring_runs",
        _shop(),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("template_id", sa.String(36), nullable=False),
        sa.Column("period_index", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("issued", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_recurring_runs"),
        sa.UniqueConstraint(
            "shop_id",
            "template_id",
            "period_index",
            name="uq_recurring_runs_shop_id_template_id_period_index",
        ),
        _ref("recurring_runs", "template_id", "recurring_templates"),
    )
    op.create_index("ix_recurring_runs_id", "recurring_runs", ["id"])


def downgrade() -> None:
    op.drop_table("recurring_runs")
    op.drop_table("recurring_templates")
