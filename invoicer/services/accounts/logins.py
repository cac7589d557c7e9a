"""Signing in: passwords with lockout and throttling, the TOTP second factor, refresh-token
families (rotated on every use; a reused one revokes its family), and who a credential is.

The lockout rule is the original system's: 5 failed password logins for one account within
15 minutes refuse password logins for it for 15 minutes. It is counted by the e-mail typed,
whether or not such an account exists, and answered alike either way, so it reveals nothing.
So that a stranger cannot keep a merchant locked out by failing on purpose, a lock stops only
passwords alone: a refresh token, an API key and a password confirmed by a TOTP code still
work, and the lock is written to the server's event log for the account holder.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update

from invoicer.domain.errors import ValidationError
from invoicer.services.accounts import totp, views
from invoicer.services.accounts.base import MAX_EMAIL, AccountsBase, normal_email, user_view
from invoicer.services.accounts.errors import NotAllowed, NotSignedIn, TooManyAttempts
from invoicer.services.accounts.tokens import digest, looks_like_api_key, random_token
from invoicer.store.accounts_schema import (
    AccountLock,
    ApiKey,
    LoginFailure,
    RefreshToken,
    ServerUser,
)
from invoicer.store.schema import Tenant

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
LOCK = dt.timedelta(minutes=15)
IP_FAILURES = 30  # per address and window: a slow guesser spread over many accounts
REFRESH_LIFETIME = dt.timedelta(days=30)
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)  # an API key's last use, written at most this often
WRONG = "The e-mail address or password is wrong."


class Logins(AccountsBase):
    def sign_in(
        self, email: object, password: object, *, ip: str, totp_code: str | None = None
    ) -> views.Session:
        """A new login for the user with `email` and `password` (and a TOTP code when the
        user has one), or the refusal: NotSignedIn, or TooManyAttempts while locked."""
        account = _normal_or_raw(email.strip().lower()) if isinstance(email, str) else ""
        if not isinstance(password, str) or not account:
            raise NotSignedIn(WRONG)
        now = self.now()
        with self._read() as session:
            self._check_address(session, ip, now)
            lock = session.get(AccountLock, account)
            locked_for = (lock.until - now) if lock is not None and lock.until > now else None
            row = self._by_email(session, account)
        if row is None or row.disabled_at is not None or row.invite_hash is not None:
            self.hasher.dummy_verify(password)
            self._refuse(account, ip, now, locked_for)
        assert row is not None
        ok, new_hash = self.hasher.verify_and_update(password, row.password_hash)
        step = None
        if ok and row.totp_sealed is not None and totp_code:
            step = self._totp_step(row, totp_code)
        confirmed = step is not None
        if not ok or (locked_for is not None and not confirmed):
            self._refuse(account, ip, now, locked_for)
        if row.totp_sealed is not None and not confirmed:
            raise NotSignedIn(
                "Enter the 6-digit code from your authenticator app."
                if not totp_code
                else "That authenticator code is wrong or was already used.",
                code="totp_required" if not totp_code else "totp_invalid",
            )
        with self._write() as session:
            user = self._user(session, row.id, row.shop_id)
            if new_hash is not None:
                user.password_hash = new_hash
            session.execute(delete(LoginFailure).where(LoginFailure.account == account))
            if step is not None:
                user.totp_last_step = step
                session.execute(delete(AccountLock).where(AccountLock.account == account))
            self.record(session, "login", actor=user.email, shop_id=user.shop_id, ip=ip)
            return self._new_session(session, user, confirmed)

    def _check_address(self, session: object, ip: str, now: dt.datetime) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        recent = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                LoginFailure.ip == ip, LoginFailure.at > now - WINDOW
            )
        ).one()
        if recent[0] >= IP_FAILURES:
            raise TooManyAttempts(_seconds(recent[1] + WINDOW - now))

    def _refuse(
        self, account: str, ip: str, now: dt.datetime, locked_for: dt.timedelta | None
    ) -> None:
        """Count a failed password (unless the account is locked already) and refuse."""
        if locked_for is not None:
            raise TooManyAttempts(_seconds(locked_for))
        with self._write() as session:
            session.add(LoginFailure(account=account, ip=ip[:64], at=now))
            session.flush()
            failures = session.execute(
                select(func.count()).where(
                    LoginFailure.account == account, LoginFailure.at > now - WINDOW
                )
            ).scalar_one()
            if failures >= ACCOUNT_FAILURES:
                session.merge(AccountLock(account=account, until=now + LOCK))
                row = self._by_email(session, account)
                self.record(
                    session,
                    "account_locked",
                    actor=account if row else "unknown account",
                    shop_id=row.shop_id if row else None,
                    ip=ip,
                    detail={"minutes": int(LOCK.total_seconds() // 60)},
                )
        raise NotSignedIn(WRONG)

    def _totp_step(self, row: ServerUser, code: str) -> int | None:
        """The time step `code` is valid for (once), or None."""
        assert row.totp_sealed is not None
        secret = totp.unseal(row.totp_sealed, self.sealing_key)
        try:
            return totp.verify_totp(
                secret, code, self.clock.now(), last_used_step=row.totp_last_step
            )
        except ValidationError:
            return None

    def _new_session(
        self, session: object, user: ServerUser, confirmed: bool, family: str | None = None
    ) -> views.Session:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        token = random_token("rt_")
        row = RefreshToken(
            family_id=family or random_token()[:36],
            user_id=user.id,
            token_hash=digest(token),
            created_at=self.now(),
            expires_at=self.now() + REFRESH_LIFETIME,
        )
        session.add(row)
        return views.Session(user_view(user), token, row.family_id, row.expires_at, confirmed)

    def refresh(self, token: object, *, ip: str) -> views.Session:
        """Rotate a refresh token: the old one is used up, a new one of the same family is
        answered. A token used a second time was copied: its whole family is revoked."""
        if not isinstance(token, str) or not token:
            raise NotSignedIn()
        now = self.now()
        with self._write() as session:
            row = session.execute(
                select(RefreshToken).where(RefreshToken.token_hash == digest(token))
            ).scalar()
            if row is None or row.revoked_at is not None or row.expires_at <= now:
                raise NotSignedIn()
            if row.used_at is not None:
                self._revoke_family(session, row.family_id, now)
                user = session.get(ServerUser, row.user_id)
                self.record(
                    session,
                    "refresh_token_reused",
                    actor=user.email if user else row.user_id,
                    shop_id=user.shop_id if user else None,
                    ip=ip,
                )
                reused = True
            else:
                reused = False
                row.used_at = now
                user = session.get(ServerUser, row.user_id)
                if user is None or user.disabled_at is not None:
                    raise NotSignedIn()
                return self._new_session(session, user, False, row.family_id)
        if reused:  # committed the revocation first
            raise NotSignedIn("This session was ended for safety; sign in again.")
        raise NotSignedIn()  # pragma: no cover - unreachable

    def sign_out(self, token: object) -> None:
        """End the login the refresh token belongs to (nothing when it is unknown)."""
        if not isinstance(token, str) or not token:
            return
        with self._write() as session:
            row = session.execute(
                select(RefreshToken).where(RefreshToken.token_hash == digest(token))
            ).scalar()
            if row is not None:
                self._revoke_family(session, row.family_id, self.now())

    def end_family(self, family_id: str) -> None:
        with self._write() as session:
            self._revoke_family(session, family_id, self.now())

    @staticmethod
    def _revoke_family(session: object, family_id: str, now: dt.datetime) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    # ------------------------------------------------------------------ who a request is by
    def user_principal(self, user_id: str, family_id: str, totp_confirmed: bool) -> views.Principal:
        """The signed-in user of an access token, if the user and the login are still
        active (a logout, a removal or a role change takes effect at once)."""
        with self._read() as session:
            user = session.get(ServerUser, user_id)
            live = session.execute(
                select(func.count()).where(
                    RefreshToken.family_id == family_id,
                    RefreshToken.user_id == user_id,
                    RefreshToken.revoked_at.is_(None),
                )
            ).scalar_one()
            if user is None or user.disabled_at is not None or not live:
                raise NotSignedIn()
            tenant = session.get(Tenant, user.shop_id) if user.shop_id else None
        if tenant is not None and tenant.suspended_at is not None:
            raise NotAllowed("This shop is suspended; contact the platform.", "shop_suspended")
        return views.Principal(
            kind="user",
            id=user.id,
            actor=user.email,
            role=user.role,
            shop_id=user.shop_id,
            live_shop_id=user.shop_id,
            mode="live",
            totp_confirmed=totp_confirmed,
        )

    def key_principal(self, secret: str) -> views.Principal:
        """The API key `secret` is, if it is active (a revocation takes effect at once)."""
        if not looks_like_api_key(secret):
            raise NotSignedIn("That API key is not valid.", code="invalid_api_key")
        now = self.now()
        with self._read() as session:
            key = session.execute(select(ApiKey).where(ApiKey.key_hash == digest(secret))).scalar()
            if (
                key is None
                or key.revoked_at is not None
                or (key.expires_at is not None and key.expires_at <= now)
            ):
                raise NotSignedIn(
                    "That API key is not valid: it is wrong, expired or revoked.",
                    code="invalid_api_key",
                )
            tenant = self._tenant(session, key.shop_id)
            live = self._tenant(session, tenant.live_shop_id) if tenant.live_shop_id else tenant
        if live.suspended_at is not None:
            raise NotAllowed("This shop is suspended; contact the platform.", "shop_suspended")
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
            with self._write() as session:
                session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        return views.Principal(
            kind="api_key",
            id=key.id,
            actor=f"api_key:{key.prefix}",
            role="user",
            shop_id=key.shop_id,
            live_shop_id=live.id,
            mode=key.mode,
        )


def _seconds(delta: dt.timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def _normal_or_raw(account: str) -> str:
    """The name failures are counted under: the normalised address, or for text that cannot
    be one, the text as typed made storable (PostgreSQL text holds no NUL, and an index entry
    has a size limit; no account is longer than an e-mail address can be)."""
    try:
        return normal_email(account)
    except ValidationError:
        return account.replace("\x00", "\ufffd")[: MAX_EMAIL + 1]
