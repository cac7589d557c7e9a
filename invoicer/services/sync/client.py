"""A device's sync engine (svc.sync, docs/sync.md): set up the link to a server, run a sync
(push, then pull), say the state without the network, list and revoke the shop's devices.

The device's credential lives only in the secret store (ctx.secrets, "sync_token"). Being
offline is normal: a run that cannot reach the server records when and why and answers a
report whose status says "offline"; it never raises for it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select

from invoicer.domain.errors import Conflict, InvoicerError, ValidationError
from invoicer.services.sync import baseline, claims, protocol, pulling, pushing, views
from invoicer.services.sync.link import acks_of, chains_of, pending_count
from invoicer.services.sync.status import OFFLINE_CODE, status_of
from invoicer.store import schema
from invoicer.store.audit import LOCAL_DEVICE
from invoicer.store.sync_schema import SyncAck, SyncLink

if TYPE_CHECKING:
    from invoicer.integrations.sync_http import SyncHttp
    from invoicer.services.app import Services

TOKEN_SECRET = "sync_token"
Progress = Callable[[str, int, int | None], None]
EMPTY_STORE_HINT = (
    " A new device of an existing shop must start from an empty store: set it up in a new "
    "database file (invoicer --db NEW-FILE sync setup ...), which then downloads the shop."
)


class NotLinked(Conflict):
    """This store is not set up to sync."""


def _parse_time(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    moment = dt.datetime.fromisoformat(text)
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def remote_device(body: dict[str, Any]) -> views.RemoteDevice:
    return views.RemoteDevice(
        device_id=str(body.get("device_id") or body.get("id")),
        name=str(body.get("name", "")),
        code=str(body.get("code", "")),
        series_prefix=str(body.get("series_prefix", "")),
        registered_at=_parse_time(body.get("registered_at")) or dt.datetime.min,
        revoked_at=_parse_time(body.get("revoked_at")),
        quarantined=body.get("quarantined") or body.get("quarantine_reason"),
        last_seen_at=_parse_time(body.get("last_seen_at")),
        reviews=int(body.get("reviews") or 0),
    )


class SyncEngine:
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.connect: Callable[..., SyncHttp] = _connect  # tests may give another transport

    # -- set-up ---------------------------------------------------------------------------
    def setup(
        self,
        url: str,
        *,
        name: str,
        email: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        progress: Progress | None = None,
    ) -> views.SyncReport:
        """Register this store as a device of the server's shop and run the first sync."""
        url, name = _check_setup(url, name, email, password, api_key)
        self.check_unlinked()
        if self.svc.ctx.secrets.get_secret(TOKEN_SECRET):
            # One credential per computer user: another store's would be overwritten.
            raise Conflict(
                "Another Invoicer store of this computer user already syncs (its device "
                "credential is in the keyring). Sync that store, or remove its credential with "
                "`invoicer secrets delete sync_token` if it is gone for good."
            )
        with self.svc.read() as session:
            history = _has_history(session)
        kept = claims.profile_state(self.svc) if history else None
        with self.connect(url) as http:
            admin = api_key.strip() if api_key else http.sign_in(str(email), str(password))
            try:
                answer = http.register(admin, name=name, history=history)
            except Conflict as error:
                if history:
                    error.args = (str(error) + EMPTY_STORE_HINT,)
                raise
        self.svc.ctx.secrets.set_secret(TOKEN_SECRET, str(answer["token"]))
        chains = [str(chain) for chain in answer.get("chains") or [answer["device_id"]]]
        with self.svc.write() as session:
            session.add(
                SyncLink(
                    server_url=url,
                    remote_shop_id=str(answer.get("shop_id", "")),
                    device_id=str(answer["device_id"]),
                    device_code=str(answer.get("code", "")),
                    device_name=str(answer.get("name", name)),
                    chains=json.dumps(chains),
                    epoch=answer.get("epoch"),
                    linked_at=self.svc.ctx.stored_now(),
                )
            )
            session.add_all([SyncAck(chain=chain, acked_seq=0) for chain in chains])
        self.svc.link_device(str(answer["device_id"]))
        if history:
            with self.svc.read() as session:
                old = baseline.needs_baseline(session)
            if old:  # rows the oldest events cannot rebuild go up whole, before them
                baseline.write_baseline(self.svc)
        report = self.run(progress)
        online = report.status.state != views.OFFLINE
        # The server's own profile came down with the first pull: this store's stands.
        if kept is not None and online and claims.reclaim_profile(self.svc, kept):
            again = self.run(progress)
            report = views.SyncReport(
                report.pushed + again.pushed,
                report.pulled + again.pulled,
                report.applied + again.applied,
                report.refused + again.refused,
                again.status,
            )
        return report

    def check_unlinked(self) -> None:
        """Refuse a store that already syncs (before asking anyone for a password)."""
        with self.svc.read() as session:
            link = session.execute(select(SyncLink)).scalar()
        if link is not None:
            raise Conflict(
                f"This store already syncs with {link.server_url} as device "
                f"{link.device_code} ({link.device_name})."
            )

    # -- a sync ---------------------------------------------------------------------------
    def run(self, progress: Progress | None = None) -> views.SyncReport:
        """Push this device's new events, then pull everyone else's."""
        link = self._link()
        token = self.svc.ctx.secrets.get_secret(TOKEN_SECRET)
        if not token:
            self._record(
                "missing_token: This device's sync credential is not in the keyring: "
                "set sync up again from a new store, or restore the keyring."
            )
            return self._report()
        up, down = pushing.PushResult(), pulling.PullResult()  # filled as far as it gets
        try:
            with self.connect(link.server_url, token=token) as http:
                state = http.state()
                total_up = self._reconcile(state)
                pushing.push(self.svc, http, progress, total_up, up)
                if up.revoked or (state.get("device") or {}).get("revoked"):
                    self._mark(revoked_at=self.svc.ctx.stored_now())
                else:
                    self._pull(http, progress, state, up, down)
        except pushing.Forked as error:
            self._mark(quarantine_reason=str(error))
            self._record(f"{protocol.FORK}: {error}")
        except InvoicerError as error:
            self._failed(error)
        else:
            self._mark(last_sync_at=self.svc.ctx.stored_now(), last_error=None)
        return self._report(up.pushed, down.pulled, down.applied, up.refused + down.refused)

    def _pull(
        self,
        http: SyncHttp,
        progress: Progress | None,
        state: dict[str, Any],
        up: pushing.PushResult,
        down: pulling.PullResult,
    ) -> None:
        from invoicer.integrations.sync_http import RemoteConflict

        with self.svc.read() as session:
            cursor = session.execute(select(SyncLink.cursor)).scalar()
        head = up.head if up.head is not None else state.get("head")  # the push moved it
        total = max(0, int(head) - _seq_of(cursor)) if isinstance(head, int) else None
        try:
            pulling.pull(self.svc, http, progress, total, down)
            return
        except RemoteConflict as error:
            if error.code != protocol.CURSOR_UNKNOWN:
                raise
        # The server's log is not the one we read from (restored, replaced): read it all
        # again (what we have is skipped) and send again what it lacks.
        pulling.forget_cursor(self.svc)
        self._reconcile(http.state())
        pushing.push(self.svc, http, progress, None, up)
        pulling.pull(self.svc, http, progress, head if isinstance(head, int) else None, down)

    def _reconcile(self, state: dict[str, Any]) -> int:
        """Lower the acks to what the server says it has (a restored server lacks some) and
        follow a new log epoch; how many events wait to go up."""
        heads = state.get("chains") or {}
        with self.svc.write() as session:
            link = session.execute(select(SyncLink)).scalar_one()
            if state.get("epoch") and link.epoch and state["epoch"] != link.epoch:
                link.cursor = None  # a restored or new log: read it again
            link.epoch = state.get("epoch") or link.epoch
            device = state.get("device") or {}
            if device.get("quarantined"):
                link.quarantine_reason = str(device["quarantined"])
            acks = acks_of(session)
            for chain in chains_of(link):
                have = heads.get(chain)
                if isinstance(have, int) and have < acks.get(chain, 0):
                    session.get(SyncAck, (link.shop_id, chain)).acked_seq = have  # type: ignore[union-attr]
            session.flush()
            return pending_count(session, link)

    # -- the state, without the network -----------------------------------------------------
    def status(self) -> views.SyncStatus:
        with self.svc.read() as session:
            return status_of(session, self.svc.ctx.stored_now())

    # -- the shop's devices -----------------------------------------------------------------
    def devices(self) -> tuple[views.RemoteDevice, ...]:
        link = self._link()
        token = self.svc.ctx.secrets.get_secret(TOKEN_SECRET)
        with self.connect(link.server_url, token=token) as http:
            return tuple(remote_device(body) for body in http.devices())

    def revoke(
        self,
        device_id: str,
        *,
        email: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
    ) -> views.RemoteDevice:
        """Revoke a device of the shop (an admin's credentials)."""
        link = self._link()
        if not api_key and not (email and password):
            raise ValidationError.single(
                "credentials",
                "required",
                "Revoking a device needs an admin's e-mail and password, or an API key.",
            )
        with self.connect(link.server_url) as http:
            admin = api_key.strip() if api_key else http.sign_in(str(email), str(password))
            return remote_device(http.revoke(admin, device_id))

    # -- the conflicts of the per-field merge (services/sync/conflicts.py) ----------------
    def conflicts(self) -> tuple[views.SyncConflict, ...]:
        from invoicer.services.sync.conflicts import ConflictService

        return ConflictService(self.svc.db, self.svc.ctx).list()

    def resolve(self, conflict_id: str, stamp: str) -> views.SyncConflict:
        """Keep the value written at `stamp` (one of the conflict's values); the next sync
        takes the choice to every device."""
        from invoicer.services.sync.conflicts import ConflictService

        return ConflictService(self.svc.db, self.svc.ctx).resolve(conflict_id, stamp)

    # -- the link row -----------------------------------------------------------------------
    def _link(self) -> SyncLink:
        with self.svc.read() as session:
            link = session.execute(select(SyncLink)).scalar()
        if link is None:
            raise NotLinked(
                "This store does not sync yet: set it up with `invoicer sync setup URL "
                "--name NAME`."
            )
        return link

    def _mark(self, **values: Any) -> None:
        with self.svc.write() as session:
            link = session.execute(select(SyncLink)).scalar_one()
            for key, value in values.items():
                setattr(link, key, value)
            link.last_attempt_at = self.svc.ctx.stored_now()

    def _record(self, error: str) -> None:
        self._mark(last_error=error)

    def _failed(self, error: InvoicerError) -> None:
        from invoicer.integrations.sync_http import Remote

        code = getattr(error, "code", None) or "refused"
        if code == protocol.REVOKED:
            self._mark(revoked_at=self.svc.ctx.stored_now())
        if code == protocol.QUARANTINED:
            self._mark(quarantine_reason=str(error))
        if not isinstance(error, Remote) and code != OFFLINE_CODE:
            code = "refused"
        self._record(f"{code}: {error}")

    def _report(
        self, pushed: int = 0, pulled: int = 0, applied: int = 0, refused: int = 0
    ) -> views.SyncReport:
        return views.SyncReport(pushed, pulled, applied, refused, self.status())


def _connect(url: str, *, token: str | None = None) -> SyncHttp:
    from invoicer.integrations.sync_http import SyncHttp

    return SyncHttp(url, token=token, schema=protocol.CLIENT_SCHEMA)


def _seq_of(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return protocol.Cursor.decode(cursor).server_seq
    except ValueError:
        return 0


def _has_history(session: Any) -> bool:
    """Events of this store's own, written before any link (the "local" chain)."""
    found = select(exists().where(schema.AuditEvent.device_id == LOCAL_DEVICE))
    return bool(session.execute(found).scalar())


def check_target(url: str, name: str) -> tuple[str, str]:
    """The server's address and the device's name, checked before anyone is asked for a
    password: (url, name) as set-up uses them."""
    return _check_setup(url, name, None, None, None, credentials_given=False)


def _check_setup(
    url: str,
    name: str,
    email: str | None,
    password: str | None,
    api_key: str | None,
    *,
    credentials_given: bool = True,
) -> tuple[str, str]:
    url = (url or "").strip().rstrip("/")
    name = (name or "").strip()
    problems = []
    if not url.startswith(("https://", "http://")):
        problems.append(
            ("url", "invalid", "The server's address starts with https:// (or http://).")
        )
    if any(ord(c) < 32 or c == "\x7f" for c in url) or " " in url:
        problems.append(("url", "invalid", "The server's address has no spaces or control codes."))
    if not 1 <= len(name) <= 60 or any(ord(c) < 32 or c == "\x7f" for c in name):
        problems.append(
            ("name", "invalid", "A device name is 1 to 60 characters, without control codes.")
        )
    if credentials_given and not api_key and not (email and password):
        problems.append(
            (
                "credentials",
                "required",
                "Sign in with an admin's e-mail and password, or give an API key.",
            )
        )
    if problems:
        from invoicer.domain.errors import Problem

        raise ValidationError([Problem(*problem) for problem in problems])
    return url, name
