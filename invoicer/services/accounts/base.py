"""What the account services share: the database, the clock, the password hasher, the key that
seals TOTP secrets; the server's event log; looking users up by their normalised e-mail."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from invoicer.domain.errors import NotFound, ValidationError
from invoicer.services.accounts import views
from invoicer.services.context import Clock
from invoicer.store.accounts_schema import ServerEvent, ServerUser
from invoicer.store.database import Database
from invoicer.store.schema import Tenant
from invoicer.store.tenancy import NO_SHOP

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from invoicer.services.accounts.passwords import PasswordHasher

MAX_EMAIL = 254  # RFC 5321's limit on a forward path


def normal_email(email: object) -> str:
    """An e-mail as accounts are keyed by: NFKC, trimmed, lower case; checked for shape (the
    server cannot send mail yet, so an address is not proven, only well-formed)."""
    if not isinstance(email, str):
        raise ValidationError.single("email", "invalid", "Give an e-mail address.")
    value = unicodedata.normalize("NFKC", email).strip().lower()
    local, _, domain = value.rpartition("@")
    if (
        not local
        or "." not in domain
        or len(value) > MAX_EMAIL
        or any(c.isspace() or unicodedata.category(c).startswith("C") for c in value)
        or domain.startswith(".")
        or domain.endswith(".")
    ):
        raise ValidationError.single(
            "email", "invalid", "That is not an e-mail address (like name@example.com)."
        )
    return value


def user_view(row: ServerUser) -> views.User:
    return views.User(
        id=row.id,
        email=row.email,
        role=row.role,
        shop_id=row.shop_id,
        totp_enabled=row.totp_sealed is not None,
        invited=row.invite_hash is not None,
        created_at=row.created_at,
    )


class AccountsBase:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: PasswordHasher,
        sealing_key: bytes,
    ) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher
        self.sealing_key = sealing_key

    def now(self) -> dt.datetime:
        return self.clock.now().astimezone(dt.UTC).replace(tzinfo=None)

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        # The server's own tables are read across shops by design (a login names no shop
        # yet): an unscoped transaction for no shop, so none is made and a row without a
        # shop (a superadmin, an event of an unknown account) is not stamped with one.
        with self.db.write(writer=None, shop_id=NO_SHOP) as session:
            session.info.pop("invoicer.scoped", None)
            yield session

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with self.db.read(shop_id=None) as session:
            yield session

    def record(
        self,
        session: Session,
        kind: str,
        *,
        actor: str,
        shop_id: str | None = None,
        ip: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Note `kind` in the server's event log (never a secret in `detail`)."""
        session.add(
            ServerEvent(
                at=self.now(),
                shop_id=shop_id,
                actor=actor,
                kind=kind,
                ip=ip,
                detail=json.dumps(detail or {}, sort_keys=True, default=str),
            )
        )

    @staticmethod
    def _user(session: Session, user_id: str, shop_id: str | None) -> ServerUser:
        """The active user `user_id` of `shop_id` (another shop's is not found, alike)."""
        row = session.get(ServerUser, user_id) if isinstance(user_id, str) else None
        if row is None or row.disabled_at is not None or row.shop_id != shop_id:
            raise NotFound("There is no such user in this shop.")
        return row

    @staticmethod
    def _tenant(session: Session, shop_id: str) -> Tenant:
        row = session.get(Tenant, shop_id)
        if row is None:
            raise NotFound("There is no such shop.")
        return row

    @staticmethod
    def _by_email(session: Session, email: str) -> ServerUser | None:
        return session.execute(select(ServerUser).where(ServerUser.email == email)).scalar()
