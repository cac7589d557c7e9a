"""Secrets in the operating system's keyring (service "invoicer"), and only there.

Values never reach the database, a settings file, a log line or an error message. Without a
usable keyring backend the user is told what to install or start; everything that needs no
secret keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from invoicer.domain.errors import InvoicerError, ValidationError

SERVICE = "invoicer"

# name -> what it is for (shown by `invoicer secrets status`)
SECRETS: Mapping[str, str] = {
    "remote_api_key": "API key of the remote Invoicer server (sync)",
    "stripe_secret_key": "Stripe secret key (card payments)",
    "rpc_key": "Key of the blockchain RPC provider (crypto payments)",
    "smtp_password": "Password of the mail server's user (smtp_user: e-mailing invoices)",
}
# Secrets Invoicer manages itself: stored here too, never shown or set in the settings
# (`invoicer sync setup` stores the device's credential; `secrets delete` may remove it).
MANAGED_SECRETS: Mapping[str, str] = {
    "sync_token": "This device's credential on its sync server (invoicer sync setup)",
}
# Secrets of an `invoicer serve` machine: stored here too, but not the apps' to show or set.
SERVER_SECRETS: Mapping[str, str] = {
    "server_jwt_secret": "Signing secret of `invoicer serve` (its sign-in tokens)",
}
# A shop's own secrets on an `invoicer serve` machine (invoicer/server/secret_store.py): in
# that machine's keyring under the shop's id, set by the shop's admins, never read back.
SHOP_SECRETS: Mapping[str, str] = {
    "stripe_secret_key": "The shop's Stripe secret key (hosted checkout by card)",
    "stripe_webhook_secret": "Signing secret of the shop's Stripe webhook endpoint (whsec_…)",
    "onecom_webhook_secret": "Signing secret of the shop's One.com webhook (generated)",
    "rpc_key": "Key of the shop's blockchain RPC provider (the server's chain watcher)",
    "smtp_password": "Password of the shop's mail server user (e-mailing its invoices)",
}


class KeyringUnavailable(InvoicerError):
    """No usable keyring: says what to install or start (never includes a secret)."""


HELP = (
    "No usable keyring was found. On Linux install and start a Secret Service, for example "
    "gnome-keyring (apt install gnome-keyring) in a desktop session, or KWallet; on a "
    "headless machine run Invoicer inside `dbus-run-session` with `gnome-keyring-daemon "
    "--unlock` started. On Windows and macOS the system keyring is used automatically."
)


@dataclass(frozen=True, slots=True)
class SecretsStatus:
    backend: str
    usable: bool
    problem: str | None
    stored: Mapping[str, bool]  # name -> is set (never the value)


def _check_name(name: str) -> None:
    if name not in SECRETS and name not in SERVER_SECRETS and name not in MANAGED_SECRETS:
        raise ValidationError.single(
            "name",
            "unknown_secret",
            f"Unknown secret {name!r}; known: {', '.join(SECRETS)}.",
        )


def keyring_backend() -> Any:
    """The usable keyring backend, or KeyringUnavailable saying what to install or start."""
    return _backend()


def keyring_call(action: str, func: Any, *args: str) -> Any:
    """`func(*args)` on the keyring; a failure says what could not be done, never a value."""
    return _call(action, func, *args)


def _backend() -> Any:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    if isinstance(backend, fail.Keyring) or chained == []:
        raise KeyringUnavailable(HELP)
    return backend


def _call(action: str, func: Any, *args: str) -> Any:
    """Run a keyring call; every backend failure becomes a message without the value."""
    from keyring import errors

    try:
        return func(*args)
    except errors.KeyringLocked:
        raise KeyringUnavailable(
            f"The keyring is locked, so Invoicer could not {action}. Unlock it and try again."
        ) from None
    except (errors.KeyringError, errors.InitError, RuntimeError, OSError) as exc:
        kind = type(exc).__name__
        raise KeyringUnavailable(f"Could not {action} ({kind}). {HELP}") from None
    except Exception as exc:
        kind = type(exc).__name__
        raise KeyringUnavailable(f"Could not {action} ({kind}). {HELP}") from None


def set_secret(name: str, value: str) -> None:
    _check_name(name)
    if not value or not value.strip():
        raise ValidationError.single("value", "empty", "The secret is empty; nothing was stored.")
    backend = _backend()
    _call(f"store {name}", backend.set_password, SERVICE, name, value.strip())


def get_secret(name: str) -> str | None:
    _check_name(name)
    backend = _backend()
    value = _call(f"read {name}", backend.get_password, SERVICE, name)
    return str(value) if value is not None else None


def optional_secret(name: str) -> str | None:
    """A secret that is only sometimes needed (rpc_key: a node without a key needs none).

    Without a keyring backend there is nowhere it could be stored, so it is not set: None,
    and the command goes on without it. A keyring that exists but fails (locked) still says
    so, since the secret may well be in it."""
    _check_name(name)
    try:
        backend = _backend()
    except KeyringUnavailable:
        return None
    value = _call(f"read {name}", backend.get_password, SERVICE, name)
    return str(value) if value is not None else None


def delete_secret(name: str) -> bool:
    """True if something was deleted."""
    _check_name(name)
    backend = _backend()
    if _call(f"read {name}", backend.get_password, SERVICE, name) is None:
        return False
    _call(f"delete {name}", backend.delete_password, SERVICE, name)
    return True


def status() -> SecretsStatus:
    try:
        backend = _backend()
    except KeyringUnavailable as exc:
        return SecretsStatus("none", False, str(exc), dict.fromkeys(SECRETS, False))
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    stored: dict[str, bool] = {}
    try:
        for secret in SECRETS:
            stored[secret] = (
                _call("read the keyring", backend.get_password, SERVICE, secret) is not None
            )
    except KeyringUnavailable as exc:
        return SecretsStatus(name, False, str(exc), dict.fromkeys(SECRETS, False))
    return SecretsStatus(name, True, None, stored)


class KeyringSecrets:
    """The OS keyring as the services' secret store (ServiceContext.secrets): the functions
    above, as one object that can be replaced (a server's own store, a test's)."""

    def get_secret(self, name: str) -> str | None:
        return get_secret(name)

    def optional_secret(self, name: str) -> str | None:
        return optional_secret(name)

    def set_secret(self, name: str, value: str) -> None:
        set_secret(name, value)

    def delete_secret(self, name: str) -> bool:
        return delete_secret(name)

    def status(self) -> SecretsStatus:
        return status()
