"""Secrets live only in the keyring; without one, a clear message and everything else works."""

from __future__ import annotations

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.integrations import secrets
from tests.keyrings import MemoryKeyring


def test_set_get_delete_and_status(memory_keyring: MemoryKeyring) -> None:
    secrets.set_secret("stripe_secret_key", "  sk_test_123  ")
    assert memory_keyring.entries == {("invoicer", "stripe_secret_key"): "sk_test_123"}
    assert secrets.get_secret("stripe_secret_key") == "sk_test_123"
    report = secrets.status()
    assert report.usable
    assert report.stored == {"remote_api_key": False, "stripe_secret_key": True,
                             "rpc_key": False, "smtp_password": False}  # fmt: skip
    assert "sk_test_123" not in repr(report)
    assert secrets.delete_secret("stripe_secret_key") is True
    assert secrets.delete_secret("stripe_secret_key") is False
    assert secrets.get_secret("stripe_secret_key") is None


def test_unknown_names_and_empty_values_are_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValidationError, match="Unknown secret"):
        secrets.set_secret("password", "x")
    with pytest.raises(ValidationError, match="empty"):
        secrets.set_secret("rpc_key", "   ")
    assert memory_keyring.entries == {}


def test_without_a_keyring_the_user_is_told_what_to_do(no_keyring: None) -> None:
    with pytest.raises(secrets.KeyringUnavailable, match="gnome-keyring"):
        secrets.set_secret("rpc_key", "abc")
    report = secrets.status()
    assert not report.usable
    assert "dbus-run-session" in (report.problem or "")


def test_a_real_secret_service(secret_service: dict[str, str]) -> None:
    secrets.set_secret("remote_api_key", "api-key-in-gnome-keyring")
    assert secrets.get_secret("remote_api_key") == "api-key-in-gnome-keyring"
    report = secrets.status()
    assert "SecretService" in report.backend
    assert report.stored["remote_api_key"]
    assert secrets.delete_secret("remote_api_key")
    assert secrets.get_secret("remote_api_key") is None
