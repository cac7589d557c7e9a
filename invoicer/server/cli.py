"""What `invoicer serve` does: resolve the database and the signing secret, migrate once,
then run uvicorn (one process, or N workers that read their config from the environment);
and the server's two set-up tasks, creating the platform superadmin and storing a signing
secret in the keyring. invoicer/cli/serve.py only wires these to click."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from invoicer.server.config import (
    JWT_SECRET_NAME,
    ServerConfig,
    ServerRefused,
    _safe_url,
    database_target,
    signing_secret,
)

# What the parent hands its worker processes (environment only: argv is world-readable).
ENV_DATABASE = "INVOICER_SERVER_DB"
ENV_SECRET = "INVOICER_JWT_SECRET"
ENV_MODE = "INVOICER_SERVER_MODE"  # "production" or "dev"
ENV_CORS = "INVOICER_CORS_ORIGINS"  # space-separated origins
ENV_WATCH_PARENT = "INVOICER_WATCH_PARENT"  # the `invoicer serve` a chain watcher ends with
DEFAULT_FILE = "server.sqlite"


@dataclass(frozen=True, slots=True)
class Plan:
    """A resolved start: what the workers are told and what the operator is shown."""

    config: ServerConfig
    generated_secret: bool  # --dev without a secret: a random one for this run


def default_database() -> str:
    from invoicer.services.paths import data_dir

    return str(data_dir() / DEFAULT_FILE)


def _keyring_secret() -> str | None:
    from invoicer.integrations.secrets import KeyringUnavailable, optional_secret

    try:
        return optional_secret(JWT_SECRET_NAME)
    except KeyringUnavailable:
        return None  # a locked or broken keyring holds nothing we can use


def plan(database_url: str | None, *, dev: bool, cors_origins: Sequence[str] = ()) -> Plan:
    """The server's config from the options and the environment; ServerRefused if it cannot
    start (no signing secret in production, one too short)."""
    target = database_target(database_url, default_database())
    # The keyring is only asked when the environment has no secret (it may prompt or fail).
    stored = None if os.environ.get(ENV_SECRET) else _keyring_secret()
    secret = signing_secret(not dev, stored)
    config = ServerConfig(
        database=target,
        jwt_secret=secret,
        production=not dev,
        cors_origins=tuple(cors_origins),
        secure_cookies=not dev,  # --dev runs over plain http on a laptop
    )
    return Plan(config, generated_secret=dev and not (os.environ.get(ENV_SECRET) or stored))


def config_from_environment() -> ServerConfig:
    """A worker's config, as its parent `invoicer serve` set it (or as an operator running
    `uvicorn invoicer.server.asgi:app --factory` sets it)."""
    dev = os.environ.get(ENV_MODE) == "dev"
    stored = None if os.environ.get(ENV_SECRET) else _keyring_secret()
    return ServerConfig(
        database=os.environ.get(ENV_DATABASE) or database_target(None, default_database()),
        jwt_secret=signing_secret(not dev, stored),
        production=not dev,
        cors_origins=tuple(os.environ.get(ENV_CORS, "").split()),
        secure_cookies=not dev,
    )


def announce(
    config: ServerConfig, host: str, port: int, workers: int, generated: bool
) -> list[str]:
    """The lines printed at start: where it listens and which database (no password)."""
    shown_host = f"[{host}]" if ":" in host else host
    lines = [
        f"Invoicer API listening on http://{shown_host}:{port} (docs: /docs)",
        f"Database: {_safe_url(config.database)}",
        f"Workers: {workers}",
    ]
    if generated:
        lines.append(
            "Development mode: a random signing secret for this run only "
            "(sign-ins end when the server stops)."
        )
    elif not config.production:
        lines.append("Development mode.")
    return lines


def migrate(database: str) -> None:
    """Create or upgrade the schema once, before any worker starts."""
    _open(database).close()


def _open(database: str) -> Any:
    """The open (migrated) database; one that cannot be reached is ServerRefused with its
    driver's first line (never the URL's password)."""
    from sqlalchemy.exc import DBAPIError

    from invoicer.store.database import open_database

    where = _safe_url(database)
    try:
        return open_database(database)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise ServerRefused(f"Could not open the database {where}: {reason}") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ServerRefused(f"Could not open the database {where}: {reason}") from None


def server_settings() -> Any:
    """The operator's settings (the server's settings file and INVOICER_* variables): the
    endpoints it talks to (VIES, Stripe's API, the chain's node). A file that cannot be read
    stops the server with the reason, rather than running on defaults."""
    from invoicer.domain.errors import ValidationError
    from invoicer.services.settings import SettingsService

    try:
        return SettingsService().get()
    except ValidationError as error:
        raise ServerRefused(f"The server's settings cannot be read: {error}") from None


def watcher_state(config: ServerConfig) -> Any:
    """What the chain watcher works with: the database, the operator's settings, the shops'
    secrets in this machine's keyring."""
    from invoicer.server.secret_store import ServerSecrets
    from invoicer.server.state import ServerState
    from invoicer.services.local import SystemClock

    return ServerState.build(
        config, _open(config.database), SystemClock(), server_settings(), ServerSecrets()
    )


def watch_chain(
    database_url: str | None, *, once: bool, interval: float, parent: int | None = None
) -> Any:
    """`invoicer serve watch-chain`: scan passes for every shop taking crypto, each pass's
    results yielded, until stopped (or once; or, started by `invoicer serve`, when that
    process is gone)."""
    import time

    from invoicer.server.chain_watcher import scan_all

    config = ServerConfig(
        database=os.environ.get(ENV_DATABASE) or database_target(database_url, default_database()),
        jwt_secret=secrets.token_urlsafe(48),  # never signs anything here
        production=False,
    )
    state = watcher_state(config)
    try:
        while True:
            yield scan_all(state)
            if once or (parent is not None and os.getppid() != parent):
                return
            time.sleep(interval)
    finally:
        state.db.close()


def start_watcher(config: ServerConfig, interval: float) -> Any:
    """The chain watcher as a process of its own beside the API's (two connections to one
    SQLite file in one process are what SQLite's POSIX locks handle worst); it gets the
    database through its environment, as the workers do, and ends with this process."""
    import subprocess
    import sys

    env = {**os.environ, ENV_DATABASE: config.database, ENV_WATCH_PARENT: str(os.getpid())}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invoicer",
            "serve",
            "watch-chain",
            "--interval",
            str(int(interval)),
        ],
        env=env,
    )


def run(
    config: ServerConfig,
    host: str,
    port: int,
    workers: int,
    *,
    access_log: bool = True,
    chain_watch: bool = True,
    chain_interval: float = 15.0,
) -> None:
    """Hand the config to the workers through the environment and run uvicorn until stopped;
    beside them, one chain watcher thread for the shops that take crypto."""
    import uvicorn

    os.environ[ENV_DATABASE] = config.database
    watcher = start_watcher(config, chain_interval) if chain_watch else None

    os.environ[ENV_DATABASE] = config.database
    os.environ[ENV_SECRET] = config.jwt_secret
    os.environ[ENV_MODE] = "production" if config.production else "dev"
    os.environ[ENV_CORS] = " ".join(config.cors_origins)
    uvicorn.run(
        "invoicer.server.asgi:app",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        access_log=access_log,
        proxy_headers=config.trust_forwarded_for,
        server_header=False,
        log_level="info",
    )
    if watcher is not None:
        watcher.terminate()
        watcher.wait(timeout=30)


def create_superadmin(database_url: str | None, email: str, password: str) -> str:
    """Create the platform superadmin; answers the stored (normalised) e-mail."""
    from invoicer.services.accounts.passwords import PasswordHasher
    from invoicer.services.accounts.service import Accounts
    from invoicer.services.local import SystemClock

    db = _open(database_target(database_url, default_database()))
    try:
        # The sealing key only seals TOTP secrets, which creating a user never touches.
        accounts = Accounts(db, SystemClock(), PasswordHasher(), sealing_key=b"\0" * 32)
        return accounts.create_superadmin(email, password).email
    finally:
        db.close()


def set_secret(replace: bool) -> bool:
    """Store a new random signing secret in the keyring. False if one is there and `replace`
    is not given (replacing it ends every sign-in)."""
    from invoicer.integrations.secrets import get_secret
    from invoicer.integrations.secrets import set_secret as store

    if not replace and get_secret(JWT_SECRET_NAME):
        return False
    store(JWT_SECRET_NAME, secrets.token_urlsafe(48))
    return True


__all__ = [
    "Plan",
    "ServerRefused",
    "announce",
    "config_from_environment",
    "create_superadmin",
    "migrate",
    "plan",
    "run",
    "server_settings",
    "set_secret",
    "start_watcher",
    "watch_chain",
    "watcher_state",
]
