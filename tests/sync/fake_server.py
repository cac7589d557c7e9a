"""The contract's /v1/sync routes (/work/notes/sync-contract.md) over a real server store, as an
httpx.MockTransport: the device engine's tests run on it until the real routes (branch
sync-server) are merged; then `live_server.py` serves the same tests with the real app.

It is deliberately plain: one shop, tokens in a dict, the feed from the store's own trigger
(a sync_counters row makes every inserted event a sync_feed row) and pushed events applied
with the device's shared rule (services/sync/applying.py)."""

from __future__ import annotations

import json
import secrets
import shutil
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import httpx
from sqlalchemy import func, select

from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from invoicer.services.sync import protocol
from invoicer.services.sync.applying import apply_or_refuse
from invoicer.store import schema
from invoicer.store.audit import chain_end
from invoicer.store.sync_schema import SyncCounter, SyncFeed

ADMIN_EMAIL = "owner@example.com"
ADMIN_PASSWORD = "correct horse battery staple"
ADMIN_TOKEN = "admin-access-token"
API_KEY = "sk_test_" + "k" * 32


class _NoSecrets:
    def get_secret(self, name: str) -> str | None:
        return None

    optional_secret = get_secret

    def set_secret(self, name: str, value: str) -> None:
        raise AssertionError("the server keeps no secret here")

    def delete_secret(self, name: str) -> bool:
        return False

    def status(self) -> Any:
        return None


@dataclass
class Device:
    device_id: str
    name: str
    code: str
    prefix: str
    chains: list[str]
    revoked: bool = False
    quarantined: str | None = None


@dataclass
class FakeSyncServer:
    path: Path
    clock: Any
    profile: dict[str, Any] | None = None  # a signed-up shop's profile (None: none yet)
    devices: dict[str, Device] = field(default_factory=dict)  # token -> device
    up: bool = True
    calls: list[str] = field(default_factory=list)

    url: ClassVar[str] = "https://sync.example"
    email: ClassVar[str] = ADMIN_EMAIL
    password: ClassVar[str] = ADMIN_PASSWORD
    api_key: ClassVar[str] = API_KEY
    admin: ClassVar[dict[str, str]] = {"api_key": API_KEY}  # as set-up takes it

    def __post_init__(self) -> None:
        ctx = ServiceContext.local(clock=self.clock, settings=Settings(), secrets=_NoSecrets())
        self.svc: Services = open_services(self.path, ctx=replace(ctx, device_id="server"))
        if self.profile is not None and self.svc.shop.get() is None:
            self.svc.shop.save(ShopProfileChanges(**self.profile))  # as signing up does
        self.transport = httpx.MockTransport(self.handle)

    def close(self) -> None:
        self.svc.close()

    def restore(self, backup: Path) -> None:
        """Put a backup of the server's store back (the server restarts on it)."""
        self.svc.close()
        restore_file(backup, self.path)
        self.__post_init__()

    # -- the routes ---------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        path, method = request.url.path, request.method
        self.calls.append(f"{method} {path}")
        if path == "/v1/auth/token":
            form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
            if form.get("password", "").replace("+", " ") != ADMIN_PASSWORD:
                return _error(401, "authentication", "not_signed_in", "Wrong e-mail or password.")
            return httpx.Response(200, json={"access_token": ADMIN_TOKEN})
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if path == "/v1/sync/devices" and method == "POST":
            return self._admin(bearer) or self._register(json.loads(request.content))
        if path == "/v1/sync/devices" and method == "GET":
            if self._admin(bearer) and bearer not in self.devices:
                return _error(401, "authentication", "not_signed_in", "Sign in first.")
            return httpx.Response(200, json={"data": [self._view(d) for d in self._all()]})
        if path.startswith("/v1/sync/devices/") and path.endswith("/revoke"):
            refused = self._admin(bearer)
            if refused:
                return refused
            device_id = path.split("/")[4]
            for device in self._all():
                if device.device_id == device_id:
                    device.revoked = True
                    return httpx.Response(200, json=self._view(device))
            return _error(404, "not_found", "not_found", f"There is no device {device_id}.")
        device = self.devices.get(bearer)
        if device is None:
            return _error(401, "authentication", "not_signed_in", "Unknown device credential.")
        if device.quarantined:
            return _error(403, "permission", protocol.QUARANTINED, "This device is quarantined.")
        if path == "/v1/sync/state":
            return httpx.Response(200, json=self._state(device))
        if path == "/v1/sync/push":
            return self._push(device, json.loads(request.content)["events"])
        if path == "/v1/sync/events":
            if device.revoked:
                return _error(403, "permission", protocol.REVOKED, "This device was revoked.")
            return self._events(request.url.params.get("cursor"))
        return _error(404, "not_found", "no_such_route", "No such route.")

    def _admin(self, bearer: str) -> httpx.Response | None:
        if bearer in (ADMIN_TOKEN, API_KEY):
            return None
        return _error(401, "authentication", "not_signed_in", "Sign in first.")

    def _all(self) -> list[Device]:
        return list(self.devices.values())

    def _view(self, device: Device) -> dict[str, Any]:
        return {
            "object": "sync_device",
            "device_id": device.device_id,
            "name": device.name,
            "code": device.code,
            "series_prefix": device.prefix,
            "registered_at": "2026-03-02T09:00:00+00:00",
            "revoked_at": "2026-03-02T10:00:00+00:00" if device.revoked else None,
            "quarantined": device.quarantined,
            "reviews": 0,
        }

    def _register(self, body: dict[str, Any]) -> httpx.Response:
        history = bool(body["history"])
        with self.svc.write() as session:
            issued = session.execute(
                select(func.count()).where(schema.Invoice.issued_at.is_not(None))
            ).scalar()
            if session.execute(select(SyncCounter)).scalar() is None:
                ids = (
                    session.execute(select(schema.AuditEvent.id).order_by(schema.AuditEvent.seq))
                    .scalars()
                    .all()
                )
                session.add(SyncCounter(next_seq=len(ids) + 1, epoch=secrets.token_hex(8)))
                session.add_all(
                    SyncFeed(server_seq=number, event_id=event_id)
                    for number, event_id in enumerate(ids, start=1)
                )
        if history and (issued or any("local" in d.chains for d in self._all())):
            return _error(
                409,
                "conflict",
                "history_refused",
                "This shop already has invoices on the server: a store with its own history "
                "cannot join it.",
            )
        taken = {d.code for d in self._all()}
        code = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in taken)
        device_id = str(uuid.uuid4())
        prefix = "" if history else code
        if not any(d.code == "WEB" for d in self.svc.devices.list()):
            self.svc.devices.register("server", "WEB", "WEB")
        self.svc.devices.register(device_id, code, prefix)
        device = Device(device_id, body["name"], code, prefix, [device_id] + ["local"] * history)
        token = "dv_" + secrets.token_urlsafe(32)
        self.devices[token] = device
        with self.svc.read() as session:
            epoch = session.execute(select(SyncCounter.epoch)).scalar()
        return httpx.Response(
            201,
            json={
                **self._view(device),
                "token": token,
                "chains": device.chains,
                "epoch": epoch,
                "shop_id": "remote-shop",
            },
        )

    def _heads(self, device: Device) -> dict[str, int]:
        with self.svc.read() as session:
            return {chain: chain_end(session, chain)[0] for chain in device.chains}

    def _state(self, device: Device) -> dict[str, Any]:
        with self.svc.read() as session:
            counter = session.execute(select(SyncCounter)).scalar_one()
        return {
            "object": "sync_state",
            "device": {**self._view(device), "revoked": device.revoked},
            "epoch": counter.epoch,
            "head": counter.next_seq - 1,
            "chains": self._heads(device),
            "server_schema": protocol.CLIENT_SCHEMA,
            "min_client_schema": protocol.MIN_CLIENT_SCHEMA,
        }

    def _push(self, device: Device, wires: list[dict[str, Any]]) -> httpx.Response:
        results: list[dict[str, Any]] = []
        gap: httpx.Response | None = None
        with self.svc.write() as session:
            for wire in wires:
                event = protocol.event_from_wire(wire)
                if event.device_id not in device.chains:
                    raise AssertionError("chain_not_yours")
                known = session.execute(
                    select(schema.AuditEvent.hash, SyncFeed.server_seq)
                    .join(SyncFeed, SyncFeed.event_id == schema.AuditEvent.id)
                    .where(
                        schema.AuditEvent.device_id == event.device_id,
                        schema.AuditEvent.device_seq == event.device_seq,
                    )
                ).first()
                if known is not None:
                    if known[0] != event.hash:
                        device.quarantined = "fork"
                        return _error(409, "conflict", protocol.FORK, "Another event is there.")
                    results.append(_result(event, "duplicate", known[1]))
                    continue
                head = chain_end(session, event.device_id)[0]
                if event.device_seq != head + 1:
                    gap = _error(409, "conflict", protocol.GAP, "A gap.", resend_from=head + 1)
                    break
                outcome, reason = apply_or_refuse(session, event)
                seq = session.execute(
                    select(SyncFeed.server_seq).where(SyncFeed.event_id == event.id)
                ).scalar()
                status = "refused" if outcome.value == "refused" else "stored"
                results.append(_result(event, status, seq, reason))
        if gap is not None:
            return gap
        body: dict[str, Any] = {
            "object": "sync_push",
            "results": results,
            "chains": self._heads(device),
        }
        if device.revoked:
            body["device"] = {"revoked": True, "message": "This device was revoked."}
        return httpx.Response(200, json=body)

    def _events(self, cursor: str | None) -> httpx.Response:
        after = 0
        with self.svc.read() as session:
            counter = session.execute(select(SyncCounter)).scalar_one()
            if cursor:
                place = protocol.Cursor.decode(cursor)
                if place.epoch != counter.epoch:
                    return _error(409, "conflict", protocol.CURSOR_UNKNOWN, "Unknown cursor.")
                after = place.server_seq
            rows = session.execute(
                select(schema.AuditEvent, SyncFeed.server_seq)
                .join(SyncFeed, SyncFeed.event_id == schema.AuditEvent.id)
                .where(SyncFeed.server_seq > after)
                .order_by(SyncFeed.server_seq)
                .limit(protocol.MAX_BATCH)
            ).all()
            events = [protocol.event_to_wire(event, seq) for event, seq in rows]
            head = counter.next_seq - 1
            epoch = counter.epoch
        last = rows[-1] if rows else None
        next_cursor = (
            protocol.Cursor(epoch, last[1], last[0].id).encode() if last is not None else cursor
        )
        return httpx.Response(
            200,
            json={
                "object": "sync_events",
                "events": events,
                "cursor": next_cursor,
                "has_more": bool(last is not None and last[1] < head),
                "head": head,
                "epoch": epoch,
            },
        )


def restore_file(backup: Path, path: Path) -> None:
    """Put `backup` (a copy made with store.database.backup_file) back at `path`."""
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)


def _result(event: Any, status: str, seq: int | None, reason: str | None = None) -> dict[str, Any]:
    return {
        "id": event.id,
        "device_seq": event.device_seq,
        "status": status,
        "server_seq": seq,
        "reason": reason,
    }


def _error(status: int, type_: str, code: str, message: str, **extra: Any) -> httpx.Response:
    error = {"type": type_, "code": code, "message": message, "param": None, **extra}
    return httpx.Response(status, json={"error": error})
