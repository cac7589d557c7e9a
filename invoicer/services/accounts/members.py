"""A shop's people and machines: sign-up (a new shop and its first admin), invitations, roles,
the TOTP second factor, API keys; and what the platform's superadmin does across shops."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select, update

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.services.accounts import passwords, totp, views
from invoicer.services.accounts.base import AccountsBase, normal_email, user_view
from invoicer.services.accounts.errors import NotAllowed
from invoicer.services.accounts.tokens import VISIBLE, digest, new_api_key, random_token
from invoicer.store.accounts_schema import ApiKey, RefreshToken, ServerEvent, ServerUser
from invoicer.store.schema import Shop, Tenant

INVITATION_LIFETIME = dt.timedelta(days=7)
MAX_NAME = 200
MAX_PAGE = 1000
MAX_EXPIRY_YEAR = 9000  # far enough; and every database's timestamps hold it


class Members(AccountsBase):
    # ------------------------------------------------------------------ sign-up, superadmin
    def sign_up(self, email: object, password: object) -> tuple[views.User, str]:
        """A new shop (and its test-mode shadow) with `email` as its admin. The caller then
        saves the shop's profile in both through the shop service; answers (admin, shop id)."""
        address = normal_email(email)
        self._check_password(password, address)
        assert isinstance(password, str)
        hashed = self.hasher.hash(password)
        with self._write() as session:
            self._refuse_taken(session, address)
            live = Tenant(created_at=self.now(), mode="live")
            session.add(live)
            session.flush()
            session.add(Tenant(created_at=self.now(), mode="test", live_shop_id=live.id))
            user = ServerUser(
                email=address,
                password_hash=hashed,
                shop_id=live.id,
                role="admin",
                created_at=self.now(),
            )
            session.add(user)
            session.flush()
            self.record(session, "sign_up", actor=address, shop_id=live.id)
            return user_view(user), live.id

    def create_superadmin(self, email: object, password: object) -> views.User:
        address = normal_email(email)
        self._check_password(password, address)
        assert isinstance(password, str)
        with self._write() as session:
            self._refuse_taken(session, address)
            user = ServerUser(
                email=address,
                password_hash=self.hasher.hash(password),
                shop_id=None,
                role=views.SUPERADMIN,
                created_at=self.now(),
            )
            session.add(user)
            session.flush()
            self.record(session, "superadmin_created", actor=address)
            return user_view(user)

    def test_shop_of(self, live_shop_id: str) -> str:
        with self._read() as session:
            found = session.execute(
                select(Tenant.id).where(Tenant.live_shop_id == live_shop_id)
            ).scalar()
        if found is None:
            raise NotFound("This shop has no test mode.")
        return str(found)

    # ------------------------------------------------------------------ users
    def users(self, shop_id: str) -> list[views.User]:
        with self._read() as session:
            rows = session.execute(
                select(ServerUser)
                .where(ServerUser.shop_id == shop_id, ServerUser.disabled_at.is_(None))
                .order_by(ServerUser.created_at, ServerUser.email)
            ).scalars()
            return [user_view(row) for row in rows]

    def user(self, shop_id: str, user_id: str) -> views.User:
        with self._read() as session:
            return user_view(self._user(session, user_id, shop_id))

    def invite(
        self, shop_id: str, email: object, role: object, *, by: str
    ) -> tuple[views.User, str]:
        """A new user of the shop, who chooses a password with the invitation answered here
        (shown once; e-mailed once the server sends mail)."""
        address = normal_email(email)
        role = _role(role)
        token = random_token("inv_")
        with self._write() as session:
            self._refuse_taken(session, address)
            user = ServerUser(
                email=address,
                password_hash="",
                shop_id=shop_id,
                role=role,
                created_at=self.now(),
                invite_hash=digest(token),
                invite_expires_at=self.now() + INVITATION_LIFETIME,
            )
            session.add(user)
            session.flush()
            self.record(
                session,
                "user_invited",
                actor=by,
                shop_id=shop_id,
                detail={"email": address, "role": role},
            )
            return user_view(user), token

    def accept_invitation(self, token: object, password: object) -> views.User:
        if not isinstance(token, str) or not token:
            raise NotFound("This invitation is not valid (wrong, used or expired).")
        with self._write() as session:
            user = session.execute(
                select(ServerUser).where(ServerUser.invite_hash == digest(token))
            ).scalar()
            if (
                user is None
                or user.disabled_at is not None
                or user.invite_expires_at is None
                or user.invite_expires_at <= self.now()
            ):
                raise NotFound("This invitation is not valid (wrong, used or expired).")
            self._check_password(password, user.email)
            assert isinstance(password, str)
            user.password_hash = self.hasher.hash(password)
            user.invite_hash = None
            user.invite_expires_at = None
            self.record(session, "invitation_accepted", actor=user.email, shop_id=user.shop_id)
            return user_view(user)

    def change_role(self, shop_id: str, user_id: str, role: object, *, by: str) -> views.User:
        role = _role(role)
        with self._write() as session:
            user = self._user(session, user_id, shop_id)
            if user.role == "admin" and role != "admin":
                self._keep_an_admin(session, shop_id)
            user.role = role
            self.record(
                session,
                "role_changed",
                actor=by,
                shop_id=shop_id,
                detail={"email": user.email, "role": role},
            )
            return user_view(user)

    def remove(self, shop_id: str, user_id: str, *, by: str) -> None:
        """Remove a user: their logins end at once; their past work keeps their name."""
        with self._write() as session:
            user = self._user(session, user_id, shop_id)
            if user.role == "admin":
                self._keep_an_admin(session, shop_id)
            user.disabled_at = self.now()
            user.email = f"removed:{user.id}:{user.email}"  # frees the address for a new account
            session.execute(
                update(RefreshToken)
                .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=self.now())
            )
            self.record(
                session, "user_removed", actor=by, shop_id=shop_id, detail={"user_id": user.id}
            )

    def change_password(self, user_id: str, current: object, new: object) -> None:
        with self._write() as session:
            user = session.get(ServerUser, user_id)
            if user is None or not isinstance(current, str):
                raise ValidationError.single(
                    "current_password", "wrong", "The current password is wrong."
                )
            ok, _ = self.hasher.verify_and_update(current, user.password_hash)
            if not ok:
                raise ValidationError.single(
                    "current_password", "wrong", "The current password is wrong."
                )
            self._check_password(new, user.email, field="new_password")
            assert isinstance(new, str)
            user.password_hash = self.hasher.hash(new)
            self.record(session, "password_changed", actor=user.email, shop_id=user.shop_id)

    # ------------------------------------------------------------------ TOTP
    def start_totp(self, user_id: str) -> views.TotpSetup:
        """A new TOTP secret for the user, active once confirmed with a code from it."""
        # Nothing is stored until confirm_totp: the client sends the secret back with a code.
        secret = totp.new_totp_secret()
        with self._read() as session:
            user = session.get(ServerUser, user_id)
            if user is None:
                raise NotFound("There is no such user.")
            if user.totp_sealed is not None:
                raise Conflict("Two-step sign-in is already on; turn it off first to change it.")
            return views.TotpSetup(secret, totp.provisioning_uri(secret, user.email))

    def confirm_totp(self, user_id: str, secret: object, code: object) -> views.User:
        """Turn two-step sign-in on with the secret from start_totp and a current code."""
        if not isinstance(secret, str) or not isinstance(code, str):
            raise ValidationError.single("totp_code", "invalid", "Enter the 6-digit code.")
        step = totp.verify_totp(secret, code, self.clock.now(), last_used_step=None)
        with self._write() as session:
            user = session.get(ServerUser, user_id)
            if user is None:
                raise NotFound("There is no such user.")
            if user.totp_sealed is not None:
                raise Conflict("Two-step sign-in is already on.")
            user.totp_sealed = totp.seal(secret, self.sealing_key)
            user.totp_last_step = step
            self.record(session, "totp_enabled", actor=user.email, shop_id=user.shop_id)
            return user_view(user)

    def disable_totp(self, user_id: str, code: object) -> views.User:
        with self._write() as session:
            user = session.get(ServerUser, user_id)
            if user is None or user.totp_sealed is None:
                raise Conflict("Two-step sign-in is not on.")
            if not isinstance(code, str):
                raise ValidationError.single("totp_code", "invalid", "Enter the 6-digit code.")
            secret = totp.unseal(user.totp_sealed, self.sealing_key)
            user.totp_last_step = totp.verify_totp(
                secret, code, self.clock.now(), last_used_step=user.totp_last_step
            )
            if user.role == "admin" and user.shop_id:
                tenant = self._tenant(session, user.shop_id)
                if tenant.admin_totp_required:
                    raise Conflict("This shop requires two-step sign-in for admins.")
            user.totp_sealed = None
            self.record(session, "totp_disabled", actor=user.email, shop_id=user.shop_id)
            return user_view(user)

    def admin_totp_required(self, shop_id: str) -> bool:
        with self._read() as session:
            return bool(self._tenant(session, shop_id).admin_totp_required)

    def require_admin_totp(self, shop_id: str, required: object, *, by_user_id: str) -> bool:
        if not isinstance(required, bool):
            raise ValidationError.single("required", "invalid", "Say true or false.")
        with self._write() as session:
            tenant = self._tenant(session, shop_id)
            me = self._user(session, by_user_id, shop_id)
            if required and me.totp_sealed is None:
                raise Conflict("Turn on two-step sign-in for yourself first.")
            tenant.admin_totp_required = required
            self.record(
                session,
                "admin_totp_required",
                actor=me.email,
                shop_id=shop_id,
                detail={"required": required},
            )
            return required

    # ------------------------------------------------------------------ API keys
    def create_key(
        self, live_shop_id: str, name: object, mode: object, expires_at: object, *, by: str
    ) -> views.NewApiKey:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME or "\x00" in name:
            raise ValidationError.single(
                "name", "invalid", f"Give the key a name (up to {MAX_NAME} characters)."
            )
        if mode not in ("live", "test"):
            raise ValidationError.single("mode", "invalid", "The mode is live or test.")
        expiry = _expiry(expires_at, self.now())
        secret = new_api_key(mode)
        tenant = live_shop_id if mode == "live" else self.test_shop_of(live_shop_id)
        with self._write() as session:
            row = ApiKey(
                shop_id=tenant,
                name=name.strip(),
                mode=mode,
                prefix=secret[:VISIBLE],
                key_hash=digest(secret),
                created_by=by,
                created_at=self.now(),
                expires_at=expiry,
            )
            session.add(row)
            session.flush()
            self.record(
                session,
                "api_key_created",
                actor=by,
                shop_id=live_shop_id,
                detail={"prefix": row.prefix, "mode": mode},
            )
            return views.NewApiKey(_key_view(row), secret)

    def keys(self, live_shop_id: str) -> list[views.ApiKey]:
        tenants = self._both(live_shop_id)
        with self._read() as session:
            rows = session.execute(
                select(ApiKey).where(ApiKey.shop_id.in_(tenants)).order_by(ApiKey.created_at)
            ).scalars()
            return [_key_view(row) for row in rows]

    def note_secret(self, shop_id: str, name: str, action: str, *, by: str, ip: str) -> None:
        """A shop secret was stored, generated or deleted: its name in the server's log (the
        value is never anywhere but the keyring)."""
        with self._write() as session:
            self.record(
                session, f"secret_{action}", actor=by, shop_id=shop_id, ip=ip, detail={"name": name}
            )

    def revoke_key(self, live_shop_id: str, key_id: str, *, by: str) -> views.ApiKey:
        tenants = self._both(live_shop_id)
        with self._write() as session:
            row = session.get(ApiKey, key_id) if isinstance(key_id, str) else None
            if row is None or row.shop_id not in tenants:
                raise NotFound("There is no such API key in this shop.")
            if row.revoked_at is None:
                row.revoked_at = self.now()
                self.record(
                    session,
                    "api_key_revoked",
                    actor=by,
                    shop_id=live_shop_id,
                    detail={"prefix": row.prefix},
                )
            return _key_view(row)

    def _both(self, live_shop_id: str) -> tuple[str, ...]:
        try:
            return (live_shop_id, self.test_shop_of(live_shop_id))
        except NotFound:
            return (live_shop_id,)

    # ------------------------------------------------------------------ the platform
    def shops(self) -> list[views.Shop]:
        with self._read() as session:
            counts = (
                select(ServerUser.shop_id, func.count().label("n"))
                .where(ServerUser.disabled_at.is_(None))
                .group_by(ServerUser.shop_id)
                .subquery()
            )
            rows = session.execute(
                select(Tenant, Shop.legal_name, counts.c.n)
                .outerjoin(Shop, Shop.shop_id == Tenant.id)
                .outerjoin(counts, counts.c.shop_id == Tenant.id)
                .where(Tenant.mode == "live")
                .order_by(Tenant.created_at)
            ).all()
            return [
                views.Shop(t.id, name, t.created_at, t.suspended_at, int(n or 0))
                for t, name, n in rows
            ]

    def all_users(self) -> list[views.User]:
        with self._read() as session:
            rows = session.execute(
                select(ServerUser)
                .where(ServerUser.disabled_at.is_(None))
                .order_by(ServerUser.created_at)
            ).scalars()
            return [user_view(row) for row in rows]

    def suspend(self, shop_id: str, suspended: object, *, by: str) -> views.Shop:
        if not isinstance(suspended, bool):
            raise ValidationError.single("suspended", "invalid", "Say true or false.")
        with self._write() as session:
            tenant = session.get(Tenant, shop_id) if isinstance(shop_id, str) else None
            if tenant is None or tenant.mode != "live":
                raise NotFound("There is no such shop.")
            tenant.suspended_at = self.now() if suspended else None
            self.record(
                session,
                "shop_suspended" if suspended else "shop_resumed",
                actor=by,
                shop_id=shop_id,
            )
        return next(s for s in self.shops() if s.id == shop_id)

    def events(
        self, *, after: int = 0, limit: int = 100, shop_id: str | None = None
    ) -> list[views.ServerEvent]:
        if not 1 <= limit <= MAX_PAGE or after < 0:
            raise ValidationError.single("limit", "out_of_range", f"Limit is 1 to {MAX_PAGE}.")
        with self._read() as session:
            query = select(ServerEvent).where(ServerEvent.id > after)
            if shop_id is not None:
                query = query.where(ServerEvent.shop_id == shop_id)
            rows = session.execute(query.order_by(ServerEvent.id).limit(limit)).scalars()
            return [
                views.ServerEvent(
                    r.id, r.at, r.shop_id, r.actor, r.kind, r.ip, json.loads(r.detail)
                )
                for r in rows
            ]

    # ------------------------------------------------------------------ rules
    def _check_password(self, password: object, email: str, field: str = "password") -> None:
        if not isinstance(password, str):
            raise ValidationError.single(field, "invalid", "Give a password.")
        try:
            passwords.check_password_policy(password, email=email)
        except ValidationError as error:
            if field == "password":
                raise
            first = error.problems[0]
            raise ValidationError.single(field, first.code, first.message) from None

    def _refuse_taken(self, session: object, address: str) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        if self._by_email(session, address) is not None:
            raise Conflict("An account with this e-mail address exists already; sign in instead.")

    def _keep_an_admin(self, session: object, shop_id: str) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        admins = session.execute(
            select(func.count()).where(
                ServerUser.shop_id == shop_id,
                ServerUser.role == "admin",
                ServerUser.disabled_at.is_(None),
            )
        ).scalar_one()
        if admins <= 1:
            raise Conflict("A shop needs at least one admin: make someone else admin first.")


def _role(role: object) -> str:
    if role not in views.ROLES:
        raise ValidationError.single("role", "invalid", "The role is admin or user.")
    assert isinstance(role, str)
    return role


def _expiry(value: object, now: dt.datetime) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        when = dt.datetime.fromisoformat(value) if day is None and isinstance(value, str) else None
    except ValueError:
        day = when = None
    if day is not None:
        when = dt.datetime.combine(day, dt.time())
    if when is None:
        raise ValidationError.single(
            "expires_at", "invalid", "Give the expiry as an ISO date (2027-01-31)."
        )
    if when.tzinfo is not None:
        try:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # 9999-12-31T23:59-23:59 is past the last representable day
            when = dt.datetime.max
    if when.year > MAX_EXPIRY_YEAR:
        raise ValidationError.single(
            "expires_at", "too_late", f"The expiry must be before {MAX_EXPIRY_YEAR + 1}."
        )
    if when <= now:
        raise ValidationError.single(
            "expires_at", "in_the_past", "The expiry must be in the future."
        )
    return when


def _key_view(row: ApiKey) -> views.ApiKey:
    return views.ApiKey(
        row.id,
        row.name,
        row.mode,
        row.prefix,
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked_at,
    )


__all__ = ["Members", "NotAllowed"]
