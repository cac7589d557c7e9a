"""The server's tables (issue 19, DESIGN.md §10): users, login failures and locks, refresh
tokens, API keys, idempotent responses, the server's event log, per-shop settings and logos;
and on `shops`, the mode (live, or the test shadow of a live shop), suspension and the
admins' TOTP rule. A local file gets them empty.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Counter = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("shops", sa.Column("mode", sa.Text(), nullable=False, server_default="live"))
    op.add_column("shops", sa.Column("live_shop_id", sa.String(36), nullable=True))
    op.add_column("shops", sa.Column("suspended_at", sa.DateTime(), nullable=True))
    op.add_column(
        "shops",
        sa.Column(
            "admin_totp_required", sa.Boolean(), nullable=False, server_default=sa.text("false")
        ),
    )
    op.create_table(
        "server_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("totp_sealed", sa.Text(), nullable=True),
        sa.Column("totp_last_step", Counter, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.Column("invite_hash", sa.Text(), nullable=True),
        sa.Column("invite_expires_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("invite_hash"),
    )
    op.create_index("ix_server_users_shop_id", "server_users", ["shop_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", Counter, primary_key=True, autoincrement=True),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_login_failures_account", "login_failures", ["account", "at"])
    op.create_index("ix_login_failures_ip", "login_failures", ["ip", "at"])
    op.create_table(
        "account_locks",
        sa.Column("account", sa.Text(), primary_key=True),
        sa.Column("until", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), sa.ForeignKey("server_users.id"), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index("ix_api_keys_shop_id", "api_keys", ["shop_id"])
    op.create_table(
        "idempotent_responses",
        sa.Column("scope", sa.Text(), primary_key=True),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("shop_id", sa.String(36), nullable=True),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_idempotent_responses_created_at", "idempotent_responses", ["created_at"])
    op.create_table(
        "server_events",
        sa.Column("id", Counter, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("shop_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("ip", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_server_events_at", "server_events", ["at"])
    op.create_index("ix_server_events_shop_id", "server_events", ["shop_id"])
    op.create_table(
        "shop_settings",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "shop_logos",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "shop_logos",
        "shop_settings",
        "server_events",
        "idempotent_responses",
        "api_keys",
        "refresh_tokens",
        "account_locks",
        "login_failures",
        "server_users",
    ):
        op.drop_table(table)
    for column in ("admin_totp_required", "suspended_at", "live_shop_id", "mode"):
        op.drop_column("shops", column)
