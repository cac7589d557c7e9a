"""The devices a shop syncs through its server (docs/sync.md): registering one (with its
number series and its credential, shown once), listing, revoking, the events revoked devices
pushed for an admin's review, and finding the device a credential belongs to."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import secrets
import string
import unicodedata
import uuid
from collections.abc import Iterator

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.services.accounts.errors import NotAllowed, NotSignedIn
from invoicer.services.accounts.tokens import VISIBLE, digest
from invoicer.services.base import Service
from invoicer.services.devices import DeviceService
from invoicer.services.sync import protocol, server_feed
from invoicer.services.sync.errors import ClientOutdated
from invoicer.services.sync.server_views import DeviceAuth, Registration, Review
from invoicer.services.sync.views import RemoteDevice
from invoicer.store import schema
from invoicer.store.sync_schema import SyncDevice, SyncReview

SERVER_DEVICE = "server"  # the device id of what the server writes itself (the API's)
MAX_NAME = 60
MAX_TOKEN = 100
OUTDATED = "Update Invoicer to sync with this server."


def _codes() -> Iterator[str]:
    """A, B, ... Z, then A2 ... Z2, A3 ...: the device codes in the order they are given."""
    yield from string.ascii_uppercase
    for round_ in itertools.count(2):
        for letter in string.ascii_uppercase:
            yield f"{letter}{round_}"


def check_name(name: object) -> str:
    if not isinstance(name, str):
        raise ValidationError.single("name", "required", "Give the device a name.")
    value = name.strip()
    if not 1 <= len(value) <= MAX_NAME:
        raise ValidationError.single(
            "name", "invalid", f"A device name is 1 to {MAX_NAME} characters."
        )
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise ValidationError.single(
            "name", "control_character", "A device name cannot hold control characters."
        )
    return value


def check_client(client_schema: int | None) -> None:
    """Refuse a device whose Invoicer is older than the oldest this server serves."""
    if client_schema is None or client_schema < protocol.MIN_CLIENT_SCHEMA:
        raise ClientOutdated(OUTDATED)


SEEN_PRECISION = dt.timedelta(minutes=1)


class DeviceRegistry(Service):
    """The devices of the context's shop (an admin's requests)."""

    def register_device(self, name: object, history: object, by: str) -> Registration:
        """Register a device, starting the shop's feed if this is its first."""
        name = check_name(name)
        if not isinstance(history, bool):
            raise ValidationError.single("history", "invalid", "history is true or false.")
        device_id = str(uuid.uuid4())
        token = protocol.TOKEN_PREFIX + secrets.token_urlsafe(32)
        devices = DeviceService(self.db, self.ctx)
        with self._write() as session:
            if history:
                self._check_history(session)
            counter = server_feed.start(session)
            self._register_server(session, devices)
            code = self._free_code(session)
            prefix = "" if history else code
            devices.register_in(session, device_id, code, prefix)
            chains = (device_id, protocol.HISTORY_CHAIN) if history else (device_id,)
            row = SyncDevice(
                device_id=device_id,
                name=name,
                code=code,
                token_hash=digest(token),
                token_prefix=token[:VISIBLE],
                chains=json.dumps(list(chains)),
                registered_at=self.now(),
                registered_by=by,
            )
            session.add(row)
            session.flush()
            return Registration(_remote(row, prefix, 0), token, chains, counter.epoch, row.shop_id)

    def list_devices(self) -> tuple[RemoteDevice, ...]:
        with self._read() as session:
            rows = session.execute(select(SyncDevice).order_by(SyncDevice.registered_at))
            return tuple(remote_of(session, row) for row in rows.scalars())

    def revoke(self, device_id: str, by: str) -> RemoteDevice:
        """Revoke a device at once: it may still push what it issued, but pulls no more."""
        with self._write() as session:
            row = _device(session, device_id)
            if row.revoked_at is None:
                row.revoked_at = self.now()
                row.revoked_by = by
                session.flush()
            return remote_of(session, row)

    def reviews(self) -> tuple[Review, ...]:
        with self._read() as session:
            rows = session.execute(select(SyncReview).order_by(SyncReview.at, SyncReview.event_id))
            return tuple(_review(row) for row in rows.scalars())

    def review_done(self, event_id: str, by: str) -> Review:
        with self._write() as session:
            row = session.execute(
                select(SyncReview).where(SyncReview.event_id == event_id)
            ).scalar()
            if row is None:
                raise NotFound("There is no such event to review in this shop.")
            if row.reviewed_at is None:
                row.reviewed_at = self.now()
                row.reviewed_by = by
                session.flush()
            return _review(row)

    def authenticate(self, token: object, client_schema: int | None) -> DeviceAuth:
        """The device `token` belongs to, in whichever shop (the credential says which);
        notes when it was last seen and which schema it speaks."""
        if (
            not isinstance(token, str)
            or not token.startswith(protocol.TOKEN_PREFIX)
            or len(token) > MAX_TOKEN
            or "\x00" in token
        ):
            raise NotSignedIn("That device credential is not valid.", "invalid_device_token")
        table: Table = SyncDevice.__table__  # type: ignore[assignment]
        with self.db.read(shop_id=None) as session:
            found = session.execute(
                select(table).where(table.c.token_hash == digest(token))
            ).first()
            tenant = session.get(schema.Tenant, found.shop_id) if found is not None else None
        if found is None or tenant is None:
            raise NotSignedIn("That device credential is not valid.", "invalid_device_token")
        if tenant.suspended_at is not None:
            raise NotAllowed("This shop is suspended; contact the platform.", "shop_suspended")
        check_client(client_schema)
        now = self.now()
        seen = found.last_seen_at
        # A write per call would take the write lock for nothing: a minute is precise enough.
        if seen is None or now - seen > SEEN_PRECISION or found.client_schema != client_schema:
            with self.db.write(writer=self.ctx.writer(), shop_id=found.shop_id) as session:
                session.execute(
                    update(table)
                    .where(table.c.shop_id == found.shop_id, table.c.device_id == found.device_id)
                    .values(last_seen_at=now, client_schema=client_schema)
                )
        return DeviceAuth(
            shop_id=found.shop_id,
            device_id=found.device_id,
            name=found.name,
            code=found.code,
            chains=tuple(json.loads(found.chains)),
            revoked_at=found.revoked_at,
            quarantine_reason=found.quarantine_reason,
        )

    def _check_history(self, session: Session) -> None:
        issued = session.execute(
            select(schema.Invoice.id).where(schema.Invoice.issued_at.is_not(None)).limit(1)
        ).first()
        if issued is not None:
            raise Conflict(
                "This shop already has issued invoices on the server: a device's own history "
                "cannot be added to it. Register the device without its history (it then "
                "downloads the shop's), or use a new shop."
            )
        for chains in session.execute(select(SyncDevice.chains)).scalars():
            if protocol.HISTORY_CHAIN in json.loads(chains):
                raise Conflict(
                    "Another device of this shop already uploaded its history: register this "
                    "one without its history (it then downloads the shop's)."
                )

    def _register_server(self, session: Session, devices: DeviceService) -> None:
        """The server's own device, once: its numbers keep the shop's formats if it already
        issued under them, else carry WEB."""
        known = session.execute(
            select(schema.Device.id).where(schema.Device.id == SERVER_DEVICE)
        ).first()
        if known is not None:
            return
        plain = session.execute(
            select(schema.Invoice.id)
            .where(schema.Invoice.issued_at.is_not(None), ~schema.Invoice.series.contains(":"))
            .limit(1)
        ).first()
        code = protocol.SERVER_DEVICE_CODE
        devices.register_in(session, SERVER_DEVICE, code, "" if plain is not None else code)

    @staticmethod
    def _free_code(session: Session) -> str:
        taken = set(session.execute(select(schema.Device.code)).scalars())
        return next(code for code in _codes() if code not in taken)


def _device(session: Session, device_id: object) -> SyncDevice:
    row = (
        session.execute(select(SyncDevice).where(SyncDevice.device_id == device_id)).scalar()
        if isinstance(device_id, str) and "\x00" not in device_id
        else None
    )
    if row is None:
        raise NotFound("There is no such device in this shop.")
    return row


def _remote(row: SyncDevice, prefix: str, reviews: int) -> RemoteDevice:
    return RemoteDevice(
        device_id=row.device_id,
        name=row.name,
        code=row.code,
        series_prefix=prefix,
        registered_at=row.registered_at,
        revoked_at=row.revoked_at,
        quarantined=row.quarantine_reason,
        last_seen_at=row.last_seen_at,
        reviews=reviews,
    )


def remote_of(session: Session, row: SyncDevice) -> RemoteDevice:
    prefix = session.execute(
        select(schema.Device.series_prefix).where(schema.Device.id == row.device_id)
    ).scalar()
    waiting = session.execute(
        select(func.count())
        .select_from(SyncReview)
        .where(SyncReview.device_id.in_(json.loads(row.chains)), SyncReview.reviewed_at.is_(None))
    ).scalar_one()
    return _remote(row, prefix or "", int(waiting))


def _review(row: SyncReview) -> Review:
    return Review(
        row.event_id,
        row.device_id,
        row.action,
        row.entity_id,
        row.reason,
        row.at,
        row.reviewed_at,
        row.reviewed_by,
    )
