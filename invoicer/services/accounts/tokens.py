"""Random credentials and how they are kept: only a SHA-256 digest is stored, so a copy of the
database lets nobody sign in. (A fast hash is right here, unlike for passwords: these strings
carry 256 bits of randomness, so there is nothing to guess.)"""

from __future__ import annotations

import hashlib
import secrets

API_KEY_PREFIXES = {"live": "sk_live_", "test": "sk_test_"}
VISIBLE = 12  # characters of a key shown in lists: "sk_live_AbCd"


def random_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_api_key(mode: str) -> str:
    return random_token(API_KEY_PREFIXES[mode])


def looks_like_api_key(token: str) -> bool:
    return token.startswith(tuple(API_KEY_PREFIXES.values()))
