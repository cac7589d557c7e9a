"""Two-factor codes (TOTP, RFC 6238) and sealing their secrets at rest.

Time is always the caller's `at` (from the service's clock), never the system clock. The
accepted time step is returned so the caller stores it: a code is then never accepted twice.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from invoicer.domain.errors import ValidationError

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # a phone clock a little off still works


def new_totp_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, issuer: str = "Invoicer") -> str:
    """The otpauth:// URI an authenticator app scans as a QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=issuer
    )


def _invalid() -> ValidationError:
    return ValidationError.single(
        "totp_code", "invalid", "The code is wrong or already used; enter the current code."
    )


MIN_SECRET_BYTES = 16  # RFC 4226 §4: at least 128 bits


def check_secret(secret: str) -> None:
    """Refuse a secret that is not base32 of at least 128 bits (one sent back by a client in
    place of the one start_totp made)."""
    try:
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < MIN_SECRET_BYTES:
        raise ValidationError.single(
            "secret", "invalid", "Send back the secret from POST /v1/me/totp unchanged."
        )


def verify_totp(secret: str, code: str, at: datetime, *, last_used_step: int | None) -> int:
    """The time step `code` belongs to (store it as the next `last_used_step`).

    Accepts the step of `at` and one either side; refuses a step at or before
    `last_used_step`, so a code (or an older one) cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        raise _invalid()
    if at.tzinfo is None:
        raise ValueError("`at` must be timezone-aware")
    check_secret(secret)
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(at.timestamp()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        # compare_digest: no timing hint about how many digits matched
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    raise _invalid()


def _fernet(key: bytes) -> Fernet:
    # Derive a dedicated key so the server secret itself is never the encryption key, and
    # other uses of the same secret (JWT signing...) get unrelated keys.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"invoicer totp secret v1"
    ).derive(key)
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: str, key: bytes) -> str:
    """`secret` encrypted and authenticated with a key derived from the server `key`."""
    if len(key) < 16:
        raise ValueError("the server key must have at least 16 bytes")
    return _fernet(key).encrypt(secret.encode()).decode("ascii")


def unseal(token: str, key: bytes) -> str:
    """The secret `seal` sealed; ValueError if the token was altered or the key differs."""
    try:
        return _fernet(key).decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise ValueError("the sealed TOTP secret cannot be opened with this key") from exc
