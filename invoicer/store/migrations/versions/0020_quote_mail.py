"""Quotes are e-mailed too (issue 22): a row of the sent log is about an invoice or about a
quote, never both and never neither.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

HOLDS_KEY = "status != 'failed'"  # word for word as in mail_schema.py
ONE_DOCUMENT = "(invoice_id IS NULL) <> (quote_id IS NULL)"  # and as there


def _send_key_index() -> None:
    op.create_index(
        "ux_mail_messages_send_key",
        "mail_messages",
        ["shop_id", "send_key"],
        unique=True,
        sqlite_where=sa.text(HOLDS_KEY),
        postgresql_where=sa.text(HOLDS_KEY),
    )


def upgrade() -> None:
    # The partial index is dropped around the table's rebuild on SQLite, so it comes back
    # with its WHERE clause whatever the reflection of the old table keeps.
    op.drop_index("ux_mail_messages_send_key", "mail_messages")
    with op.batch_alter_table("mail_messages") as table:
        table.alter_column("invoice_id", existing_type=sa.String(36), nullable=True)
        table.add_column(sa.Column("quote_id", sa.String(36), nullable=True))
        table.create_foreign_key(
            "fk_mail_messages_quote_id", "quotes", ["shop_id", "quote_id"], ["shop_id", "id"]
        )
        table.create_check_constraint("ck_mail_messages_one_document", ONE_DOCUMENT)
    op.create_index("ix_mail_messages_quote", "mail_messages", ["quote_id"])
    _send_key_index()


def downgrade() -> None:
    op.drop_index("ux_mail_messages_send_key", "mail_messages")
    op.drop_index("ix_mail_messages_quote", "mail_messages")
    op.execute("DELETE FROM mail_messages WHERE quote_id IS NOT NULL")
    with op.batch_alter_table("mail_messages") as table:
        table.drop_constraint("ck_mail_messages_one_document", type_="check")
        table.drop_constraint("fk_mail_messages_quote_id", type_="foreignkey")
        table.drop_column("quote_id")
        table.alter_column("invoice_id", existing_type=sa.String(36), nullable=False)
    _send_key_index()
