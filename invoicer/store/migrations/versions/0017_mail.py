"""E-mail (issue 22, invoicer/store/mail_schema.py): the sent log of each document and the
merchant's own message templates.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

HOLDS_KEY = "status != 'failed'"  # word for word as in mail_schema.py


def _shop() -> sa.Column[str]:
    return sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        _shop(),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("invoice_id", sa.String(36), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("send_key", sa.String(64), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_mail_messages"),
        sa.ForeignKeyConstraint(
            ["shop_id", "invoice_id"],
            ["invoices.shop_id", "invoices.id"],
            name="fk_mail_messages_invoice_id",
        ),
    )
    op.create_index("ix_mail_messages_id", "mail_messages", ["id"])
    op.create_index("ix_mail_messages_invoice", "mail_messages", ["invoice_id"])
    op.create_index(
        "ux_mail_messages_send_key",
        "mail_messages",
        ["shop_id", "send_key"],
        unique=True,
        sqlite_where=sa.text(HOLDS_KEY),
        postgresql_where=sa.text(HOLDS_KEY),
    )
    op.create_table(
        "mail_templates",
        _shop(),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shop_id", "id", name="pk_mail_templates"),
    )
    op.create_index("ix_mail_templates_id", "mail_templates", ["id"])


def downgrade() -> None:
    op.drop_table("mail_templates")
    op.drop_table("mail_messages")
