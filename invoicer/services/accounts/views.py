"""What the accounts service answers: plain frozen records, never a hash or a secret."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ROLES = ("admin", "user")
SUPERADMIN = "superadmin"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    role: str
    shop_id: str | None
    totp_enabled: bool
    invited: bool  # has not chosen a password yet
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    mode: str  # live | test
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewApiKey:
    key: ApiKey
    secret: str  # shown once, never stored


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request is by: a signed-in user or an API key, the tenant it works in (a live
    shop, or its test shadow for sk_test_ keys) and its role there."""

    kind: str  # user | api_key
    id: str  # the user's or the key's id
    actor: str  # what audit events name: the e-mail, or "api_key:<prefix>"
    role: str  # admin | user | superadmin (an API key acts as a user)
    shop_id: str | None  # the tenant; None for a superadmin
    live_shop_id: str | None  # the live shop the tenant belongs to
    mode: str  # live | test
    totp_confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Shop:
    id: str
    legal_name: str | None
    created_at: dt.datetime
    suspended_at: dt.datetime | None
    users: int


@dataclass(frozen=True, slots=True)
class ServerEvent:
    id: int
    at: dt.datetime
    shop_id: str | None
    actor: str
    kind: str
    ip: str | None
    detail: dict[str, object]


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in user's login: the refresh token (the client keeps it in a cookie) and its
    family (one per login, what the access token names so a logout takes effect at once)."""

    user: User
    refresh_token: str
    family_id: str
    expires_at: dt.datetime
    totp_confirmed: bool


@dataclass(frozen=True, slots=True)
class TotpSetup:
    secret: str
    uri: str
