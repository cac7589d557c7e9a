"""Access tokens: short-lived JWTs signed with HS256, the algorithm pinned on verify (a token
that says `alg: none` or RS256 is refused, whatever its signature). They name the user
(`sub`), the shop, the role, the login (`sid`, so a logout ends them at once) and a unique
`jti`; whether the login was confirmed with a TOTP code is `amr`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import jwt

from invoicer.services.accounts.errors import NotSignedIn
from invoicer.services.accounts.views import Session

ALGORITHM = "HS256"
ISSUER = "invoicer"
AUDIENCE = "invoicer-api"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    family_id: str
    totp_confirmed: bool


def access_token(session: Session, secret: str, now: dt.datetime, lifetime: dt.timedelta) -> str:
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": session.user.id,
        "shop": session.user.shop_id,
        "role": session.user.role,
        "sid": session.family_id,
        "amr": ["pwd", "otp"] if session.totp_confirmed else ["pwd"],
        "jti": str(uuid.uuid4()),
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str, now: dt.datetime) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "jti"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise NotSignedIn(
            "The access token is not valid; sign in again.", code="invalid_token"
        ) from None
    # Expiry by the server's clock (a test's fixed clock included), not the machine's.
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now.timestamp():
        raise NotSignedIn(
            "The access token has expired; refresh it or sign in again.", code="token_expired"
        )
    if not isinstance(claims["sub"], str) or not isinstance(claims["sid"], str):
        raise NotSignedIn("The access token is not valid; sign in again.", code="invalid_token")
    return AccessClaims(claims["sub"], claims["sid"], "otp" in (claims.get("amr") or ()))
