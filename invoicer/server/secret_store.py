"""The server's secret store: each shop's own secrets (its Stripe key, its webhook signing
secrets) in the server machine's keyring under the shop's id, never in the database; and
server-wide defaults from the environment (INVOICER_SECRET_<NAME>), which an operator who
runs one shop's server may prefer. Values are set by a shop's admins and never read back
over the API."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping

from invoicer.domain.errors import ValidationError
from invoicer.integrations.secrets import (
    SHOP_SECRETS,
    KeyringUnavailable,
    SecretsStatus,
    keyring_backend,
    keyring_call,
)

SERVICE = "invoicer-server"
MAX_SECRET_CHARS = 4096


def _webhook_secret() -> str:
    # The Standard Webhooks form: whsec_ and 32 random bytes in base64 (docs/webhooks.md).
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


# Secrets the server makes itself (shown once to the admin who asks), by name.
GENERATED: Mapping[str, Callable[[], str]] = {"onecom_webhook_secret": _webhook_secret}


def _env_name(name: str) -> str:
    return "INVOICER_SECRET_" + "".join(c if c.isalnum() else "_" for c in name).upper()


def check_name(name: str) -> None:
    if name not in SHOP_SECRETS:
        raise ValidationError.single(
            "name",
            "unknown_secret",
            f"Unknown secret {name[:40]!r}; a shop can store: {', '.join(SHOP_SECRETS)}.",
        )


def check_value(value: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError.single("value", "empty", "The secret is empty; nothing was stored.")
    if len(text) > MAX_SECRET_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError.single(
            "value",
            "invalid",
            f"A secret is one line of at most {MAX_SECRET_CHARS} printable characters.",
        )
    return text


class ShopSecrets:
    """One shop's secrets, as the services' SecretStore (ServiceContext.secrets)."""

    def __init__(self, shop_id: str) -> None:
        self.shop_id = shop_id

    def _user(self, name: str) -> str:
        return f"{self.shop_id}/{name}"

    def _stored(self, name: str) -> str | None:
        """The shop's own value; a keyring that is missing holds nothing, a locked one says so."""
        try:
            backend = keyring_backend()
        except KeyringUnavailable:
            return None
        value = keyring_call(f"read {name}", backend.get_password, SERVICE, self._user(name))
        return str(value) if value is not None else None

    def get_secret(self, name: str) -> str | None:
        if name not in SHOP_SECRETS:
            return None  # a local app's secret (a sync key): a server has none
        return self._stored(name) or os.environ.get(_env_name(name)) or None

    def optional_secret(self, name: str) -> str | None:
        return self.get_secret(name)

    def set_secret(self, name: str, value: str) -> None:
        check_name(name)
        text = check_value(value)
        backend = keyring_backend()
        keyring_call(f"store {name}", backend.set_password, SERVICE, self._user(name), text)

    def generate(self, name: str) -> str:
        """A new random value for a secret the server makes (the shop sees it once)."""
        check_name(name)
        make = GENERATED.get(name)
        if make is None:
            raise ValidationError.single(
                "name",
                "not_generated",
                f"{name} comes from its provider; store the value it gave you instead.",
            )
        value = make()
        self.set_secret(name, value)
        return value

    def delete_secret(self, name: str) -> bool:
        check_name(name)
        backend = keyring_backend()
        user = self._user(name)
        if keyring_call(f"read {name}", backend.get_password, SERVICE, user) is None:
            return False
        keyring_call(f"delete {name}", backend.delete_password, SERVICE, user)
        return True

    def status(self) -> SecretsStatus:
        try:
            backend = keyring_backend()
        except KeyringUnavailable as exc:
            env_only = {name: _env_name(name) in os.environ for name in SHOP_SECRETS}
            return SecretsStatus("environment", False, str(exc), env_only)
        kind = f"{type(backend).__module__}.{type(backend).__name__}"
        try:
            stored = {name: self.get_secret(name) is not None for name in SHOP_SECRETS}
        except KeyringUnavailable as exc:
            return SecretsStatus(kind, False, str(exc), dict.fromkeys(SHOP_SECRETS, False))
        return SecretsStatus(kind, True, None, stored)


class ServerSecrets:
    """The server's store: `for_shop(id)` for a shop's requests; on its own (no shop, the
    platform's superadmin) only the environment's server-wide values."""

    def for_shop(self, shop_id: str) -> ShopSecrets:
        return ShopSecrets(shop_id)

    def get_secret(self, name: str) -> str | None:
        return os.environ.get(_env_name(name)) if name in SHOP_SECRETS else None

    def optional_secret(self, name: str) -> str | None:
        return self.get_secret(name)

    def set_secret(self, name: str, value: str) -> None:
        from invoicer.domain.errors import Conflict

        raise Conflict("Server-wide secrets are set in the server's environment, not over the API.")

    def delete_secret(self, name: str) -> bool:
        return False

    def status(self) -> SecretsStatus:
        return SecretsStatus(
            backend="environment",
            usable=True,
            problem=None,
            stored={name: _env_name(name) in os.environ for name in SHOP_SECRETS},
        )
