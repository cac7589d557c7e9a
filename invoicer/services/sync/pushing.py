"""Push: send this device's events the server has not confirmed, chain by chain, in their
order, in batches; move the acks on as the server confirms (docs/sync.md).

A gap answer means the server lacks earlier events (a server restored from a backup): the
acks go back to where it says and those are sent again. A fork stops everything: the server
has quarantined the device, and the merchant is told.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from invoicer.services.sync import protocol
from invoicer.services.sync.link import acks_of, chains_of
from invoicer.store import schema
from invoicer.store.sync_schema import SyncAck, SyncLink
from invoicer.store.tenancy import shop_of

if TYPE_CHECKING:
    from invoicer.integrations.sync_http import SyncHttp
    from invoicer.services.app import Services

Progress = Callable[[str, int, int | None], None]
# Bytes of events per push: the server takes request bodies up to 1,000,000 bytes (its body
# limit), and MAX_BATCH complete invoices come to more than that.
MAX_BODY = 900_000
MAX_GAPS = 5  # gap answers in a row without progress: something else is wrong


class Forked(Exception):
    """The server found another event at a place of this device's chain (quarantined)."""


@dataclass
class PushResult:
    pushed: int = 0
    refused: int = 0
    revoked: bool = False
    head: int | None = None  # the server's feed head after the last push


def set_ack(svc: Services, chain: str, seq: int) -> None:
    with svc.write() as session:
        row = session.get(SyncAck, (shop_of(session), chain))
        if row is None:
            session.add(SyncAck(chain=chain, acked_seq=seq))
        else:
            row.acked_seq = seq


def _batch(svc: Services, chain: str, after: int) -> list[dict[str, Any]]:
    with svc.read() as session:
        rows = session.execute(
            select(schema.AuditEvent)
            .where(schema.AuditEvent.device_id == chain, schema.AuditEvent.device_seq > after)
            .order_by(schema.AuditEvent.device_seq)
            .limit(protocol.MAX_BATCH)
        ).scalars()
        batch: list[dict[str, Any]] = []
        size = 0
        for event in rows:
            wire = protocol.event_to_wire(event)
            size += len(json.dumps(wire, ensure_ascii=False).encode()) + 1
            if batch and size > MAX_BODY:
                break
            batch.append(wire)
        return batch


def push(
    svc: Services,
    http: SyncHttp,
    progress: Progress | None,
    total: int | None,
    result: PushResult,
) -> None:
    """Push every chain to its end, counting into `result` (kept when a batch fails)."""
    from invoicer.integrations.sync_http import RemoteConflict

    with svc.read() as session:
        link = session.execute(select(SyncLink)).scalar_one()
        chains, acks = chains_of(link), acks_of(session)
    done = 0
    for chain in chains:
        acked, gaps = acks.get(chain, 0), 0
        while events := _batch(svc, chain, acked):
            try:
                answer = http.push(events)
            except RemoteConflict as error:
                if error.code == protocol.GAP and error.resend_from and gaps < MAX_GAPS:
                    gaps += 1
                    acked = error.resend_from - 1
                    set_ack(svc, chain, acked)
                    continue
                if error.code == protocol.FORK:
                    raise Forked(str(error)) from error
                raise
            gaps = 0
            for item in answer.get("results") or []:
                result.pushed += item.get("status") == "stored"
                result.refused += item.get("status") == "refused"
            results = answer.get("results") or []
            if not results:  # the server took nothing and said nothing: try next time
                break
            acked = max(int(item["device_seq"]) for item in results)
            set_ack(svc, chain, acked)
            done += len(events)
            result.revoked |= bool((answer.get("device") or {}).get("revoked"))
            if isinstance(answer.get("head"), int):
                result.head = answer["head"]
            if progress is not None:
                progress("push", done, total)
