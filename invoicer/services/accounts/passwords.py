"""Passwords of server users: the policy a new password must meet, and hashing.

New hashes are argon2id at pwdlib's recommended parameters; bcrypt hashes imported from the
old system still verify and are upgraded to argon2id on the next successful login.
"""

from __future__ import annotations

import functools
import unicodedata

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from invoicer.domain.errors import ValidationError
from invoicer.resources import read_text

MIN_LENGTH = 8
_BCRYPT_MAX_BYTES = 72
MAX_LENGTH = 1024  # long enough for any passphrase, short enough that hashing stays cheap


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled 10,000 most common passwords, folded (NFKC, case-insensitive)."""
    lines = read_text("server", "common-passwords.txt").splitlines()
    return frozenset(_fold(line) for line in lines if line and not line.startswith("#"))


def check_password_policy(password: str, *, email: str | None = None) -> None:
    """Raise ValidationError (field "password") if `password` may not be used."""

    def refuse(code: str, message: str) -> ValidationError:
        return ValidationError.single("password", code, message)

    if len(password) < MIN_LENGTH:
        raise refuse("too_short", f"The password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise refuse("too_long", f"The password must have at most {MAX_LENGTH} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in password):
        raise refuse("invalid", "The password must not contain control characters.")
    folded = _fold(password)
    if folded in common_passwords():
        raise refuse("common", "This password is too common; choose one that is harder to guess.")
    if email:
        address = _fold(email.strip())
        if folded in {address, address.partition("@")[0]}:
            raise refuse("like_email", "The password must not be your e-mail address.")


class PasswordHasher:
    """Hash new passwords with argon2id; verify argon2 and legacy bcrypt hashes.

    `fast=True` is for tests only: argon2 at its recommended cost takes ~50 ms and 64 MiB per
    hash, which makes a test suite slow; the fast parameters are far too weak for production.
    """

    def __init__(self, *, fast: bool = False) -> None:
        argon2 = (
            Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else Argon2Hasher()
        )
        bcrypt = BcryptHasher(rounds=4) if fast else BcryptHasher()
        # The first hasher makes new hashes; the others only verify (and trigger an update).
        self._hash = PasswordHash((argon2, bcrypt))
        # A real hash to verify against when the account does not exist.
        self._dummy = self._hash.hash("invoicer-dummy-password")

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify_and_update(self, password: str, stored_hash: str) -> tuple[bool, str | None]:
        """(matches, new hash to store or None). A new hash comes back when the stored one is
        bcrypt or argon2 with other parameters than the current ones."""
        secret = password.encode()
        if stored_hash.startswith("$2") and len(secret) > _BCRYPT_MAX_BYTES:
            # bcrypt only ever saw the first 72 bytes (the old system truncated silently);
            # bcrypt 5 refuses longer input, so truncate the same way, then store the full
            # password as argon2id.
            try:
                ok = self._hash.verify(secret[:_BCRYPT_MAX_BYTES], stored_hash)
            except (UnknownHashError, ValueError):
                return False, None
            return ok, (self.hash(password) if ok else None)
        try:
            return self._hash.verify_and_update(password, stored_hash)
        except (UnknownHashError, ValueError):  # unknown or damaged hash: a refusal
            return False, None

    def dummy_verify(self, password: str) -> None:
        """Spend the time of a real verify, so a login for an unknown account takes as long
        as one with a wrong password (timing must not tell whether an account exists)."""
        self._hash.verify(password, self._dummy)
