"""How a server is set up: where its database is, its signing secret, who may call it from a
browser, and its limits. Read once at start (`from_environment`), then passed down: nothing in
the server reads the environment per request."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from invoicer.domain.errors import InvoicerError

JWT_SECRET_NAME = "server_jwt_secret"  # its name in the keyring
MIN_SECRET_BYTES = 32


class ServerRefused(InvoicerError):
    """The server cannot start as configured (no signing secret in production, ...)."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    database: str  # a SQLite path or a postgresql+psycopg:// URL
    jwt_secret: str
    production: bool = True
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = 1_000_000
    max_sync_body_bytes: int = 16_000_000  # a push of MAX_BATCH events with their payloads
    max_logo_bytes: int = 512 * 1024
    access_lifetime: dt.timedelta = dt.timedelta(minutes=15)
    secure_cookies: bool = True  # False only in tests over plain http
    fast_hashing: bool = False  # tests: cheap argon2 parameters
    trust_forwarded_for: bool = False  # behind a reverse proxy that sets X-Forwarded-For
    # Where buyers reach the checkout pages (HOSTED_CHECKOUT_BASE, e.g. https://pay.shop.nl);
    # None: the address each request came in on.
    hosted_checkout_base: str | None = field(
        default_factory=lambda: os.environ.get("HOSTED_CHECKOUT_BASE") or None
    )
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.jwt_secret.encode()) < MIN_SECRET_BYTES:
            raise ServerRefused(
                f"The signing secret must be at least {MIN_SECRET_BYTES} bytes long "
                "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )

    def __repr__(self) -> str:  # never print the secret
        return f"ServerConfig(database={_safe_url(self.database)!r}, production={self.production})"


def _safe_url(url: str) -> str:
    """A database URL without its password, for logs."""
    from sqlalchemy.engine import make_url

    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(a database URL)"


def signing_secret(production: bool, keyring_secret: str | None) -> str:
    """The JWT signing secret: INVOICER_JWT_SECRET, else the keyring's. Outside production a
    missing secret is replaced by a random one for this run (tokens end with the process)."""
    secret = os.environ.get("INVOICER_JWT_SECRET") or keyring_secret
    if secret:
        return secret
    if production:
        raise ServerRefused(
            "invoicer serve needs a signing secret in production: set INVOICER_JWT_SECRET or "
            "store one with `invoicer serve set-secret` (kept in the OS keyring); "
            "`--dev` runs without one, with sign-ins that end when the server stops."
        )
    import secrets

    return secrets.token_urlsafe(48)


def database_target(url: str | None, data_dir_file: str) -> str:
    """--database-url, else INVOICER_DATABASE_URL, else the server's SQLite file."""
    return url or os.environ.get("INVOICER_DATABASE_URL") or data_dir_file
