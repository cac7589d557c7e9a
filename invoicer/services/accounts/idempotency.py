"""Idempotency keys (Stripe's rule): a POST sent again with the same Idempotency-Key and the
same body gets the first answer again and changes nothing; the same key with another body is
refused (409), as is a second request while the first is still being answered. Kept 24 hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.services.accounts.base import AccountsBase
from invoicer.store.accounts_schema import IdempotentResponse

KEEP = dt.timedelta(hours=24)
MAX_KEY = 255
PENDING = 0


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: bytes
    content_type: str


class IdempotencyKeys(AccountsBase):
    def begin(self, scope: str, key: str, request_hash: str) -> Replay | None:
        """The stored answer for (scope, key), or None after reserving the key for this
        request (answer it with finish(), or release() it)."""
        if not key or len(key) > MAX_KEY or not key.isprintable():
            raise ValidationError.single(
                "Idempotency-Key",
                "invalid",
                f"An Idempotency-Key is 1 to {MAX_KEY} printable characters.",
            )
        now = self.now()
        for _attempt in range(2):
            with self._read() as session:
                row = session.execute(
                    select(IdempotentResponse).where(
                        IdempotentResponse.scope == scope, IdempotentResponse.key == key
                    )
                ).scalar()
            if row is not None and row.created_at > now - KEEP:
                if row.request_hash != request_hash:
                    raise Conflict(
                        "This Idempotency-Key was used with a different request; use a new key."
                    )
                if row.status == PENDING:
                    raise Conflict("A request with this Idempotency-Key is still being answered.")
                return Replay(row.status, row.body, row.content_type)
            try:
                with self._write() as session:
                    if row is not None:  # expired: the key may be used again
                        session.execute(
                            delete(IdempotentResponse).where(
                                IdempotentResponse.scope == scope, IdempotentResponse.key == key
                            )
                        )
                    session.add(
                        IdempotentResponse(
                            scope=scope,
                            key=key,
                            request_hash=request_hash,
                            status=PENDING,
                            body=b"",
                            content_type="",
                            created_at=now,
                        )
                    )
                return None
            except IntegrityError:
                continue  # another request reserved it first: read what it is
        raise Conflict("A request with this Idempotency-Key is still being answered.")

    def finish(self, scope: str, key: str, shop_id: str | None, replay: Replay) -> None:
        with self._write() as session:
            row = session.get(IdempotentResponse, (scope, key))
            if row is not None:
                row.status, row.body, row.content_type = (
                    replay.status,
                    replay.body,
                    replay.content_type,
                )
                row.shop_id = shop_id

    def release(self, scope: str, key: str) -> None:
        """Forget a reservation whose request failed on the server's side (it may be retried)."""
        with self._write() as session:
            session.execute(
                delete(IdempotentResponse).where(
                    IdempotentResponse.scope == scope, IdempotentResponse.key == key
                )
            )
