"""What a running server holds between requests: its config, the open database, the clock,
the accounts service and the base settings. Built once by the app factory; every request
builds its own ServiceContext from these and its credentials (DESIGN.md §10)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from invoicer.server.config import ServerConfig
from invoicer.services.accounts.passwords import PasswordHasher
from invoicer.services.accounts.service import Accounts
from invoicer.services.context import Clock, SecretStore
from invoicer.services.settings import Settings
from invoicer.services.sync.server_devices import SERVER_DEVICE
from invoicer.store.database import Database

__all__ = ["SERVER_DEVICE", "ServerState"]  # SERVER_DEVICE: the id of the server's own writes


@dataclass
class ServerState:
    config: ServerConfig
    db: Database
    clock: Clock
    settings: Settings
    secrets: SecretStore
    accounts: Accounts

    @classmethod
    def build(
        cls,
        config: ServerConfig,
        db: Database,
        clock: Clock,
        settings: Settings,
        secrets: SecretStore,
    ) -> ServerState:
        # TOTP secrets are sealed with a key derived from the signing secret (one secret to
        # keep; a different purpose, so a different key).
        sealing_key = hashlib.sha256(
            b"invoicer totp sealing\x00" + config.jwt_secret.encode()
        ).digest()
        hasher = PasswordHasher(fast=config.fast_hashing)
        return cls(config, db, clock, settings, secrets, Accounts(db, clock, hasher, sealing_key))

    def shop_secrets(self, shop_id: str | None) -> SecretStore:
        """The secrets a shop's request sees: its own (ServerSecrets.for_shop); a store the
        app was built with that is not per shop (a test's) serves every shop."""
        from invoicer.server.secret_store import ServerSecrets

        if shop_id is not None and isinstance(self.secrets, ServerSecrets):
            return self.secrets.for_shop(shop_id)
        return self.secrets
