"""The server's own tables (issue 19, DESIGN.md §10): who may call it and what it remembers
between requests. A local file has them too (empty): one schema for every store.

Nothing secret is stored in clear: passwords are argon2id hashes, refresh tokens and API keys
SHA-256 hashes of high-entropy random strings, TOTP secrets sealed with the server's key.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, BigCounter, new_id


class ServerUser(Base):
    """A person who signs in: a member of one shop (role admin or user), or a platform
    superadmin (no shop)."""

    __tablename__ = "server_users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(Text, unique=True)  # normalised: NFKC, lower case
    password_hash: Mapped[str] = mapped_column(Text)
    shop_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("shops.id"), index=True)
    role: Mapped[str] = mapped_column(Text)  # admin | user | superadmin
    totp_sealed: Mapped[str | None] = mapped_column(Text)  # the TOTP secret, sealed
    totp_last_step: Mapped[int | None] = mapped_column(BigCounter)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # An invited user who has not chosen a password yet: the invitation's hash and expiry.
    invite_hash: Mapped[str | None] = mapped_column(Text, unique=True)
    invite_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """A failed password login, by account (the normalised e-mail, whether or not such a user
    exists) and by address: what lockout and throttling count."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account", "account", "at"),
        Index("ix_login_failures_ip", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(BigCounter, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Text)
    ip: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class AccountLock(Base):
    """Password logins of an account refused until `until` (5 failures in 15 minutes)."""

    __tablename__ = "account_locks"

    account: Mapped[str] = mapped_column(Text, primary_key=True)
    until: Mapped[dt.datetime] = mapped_column(DateTime)


class RefreshToken(Base):
    """One refresh token of a login's family: used once (rotated), and a second use of a used
    one revokes the whole family (it was stolen)."""

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("server_users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ApiKey(Base):
    """A machine's key: `sk_live_…` for the shop, `sk_test_…` for its test-mode shadow
    (`shop_id` is the tenant the key works in)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(Text)  # live | test
    prefix: Mapped[str] = mapped_column(Text)  # the first characters, for lists
    key_hash: Mapped[str] = mapped_column(Text, unique=True)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class IdempotentResponse(Base):
    """The answer to a POST made with an Idempotency-Key, replayed for the same key and body.
    `scope` is a digest of the credential the request came with (keys never mix between
    callers); `status` 0 marks a request still being answered."""

    __tablename__ = "idempotent_responses"

    scope: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    shop_id: Mapped[str | None] = mapped_column(String(36))
    request_hash: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ServerEvent(Base):
    """The server's own audit log (logins, lockouts, keys, users, suspensions): what the
    platform superadmin reads. The shops' business events are in audit_events."""

    __tablename__ = "server_events"

    id: Mapped[int] = mapped_column(BigCounter, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    shop_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never a secret


class ShopSettings(Base):
    """A server shop's settings (a local app keeps its in settings.toml): JSON of the fields
    that differ from the defaults."""

    __tablename__ = "shop_settings"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ShopLogo(Base):
    """A server shop's logo as checked on upload (PNG or JPEG bytes)."""

    __tablename__ = "shop_logos"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


__all__ = [
    "AccountLock",
    "ApiKey",
    "IdempotentResponse",
    "LoginFailure",
    "RefreshToken",
    "ServerEvent",
    "ServerUser",
    "ShopLogo",
    "ShopSettings",
]
