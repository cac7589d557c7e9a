"""What `audit verify` says about the chains themselves: each device's broken links and each
device's stored head against the end of its chain (store/audit.py walks the chains)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from invoicer.services import views
from invoicer.store import schema
from invoicer.store.audit import ChainBreak, device_label


def chain_message(broken: ChainBreak) -> str:
    where = device_label(broken.device_id)
    if where and where not in broken.problem:
        return f"Event {broken.seq}{where}: {broken.problem}."
    return f"Event {broken.seq}: {broken.problem}."


def head_problems(session: Session, ends: dict[str, tuple[int, str]]) -> list[views.AuditProblem]:
    """Each device's stored head against the end of its chain."""
    heads = {
        row.device_id: (row.seq, row.hash)
        for row in session.execute(select(schema.AuditHead)).scalars()
    }
    problems: list[views.AuditProblem] = []
    for device_id in sorted(set(heads) | set(ends)):
        end = ends.get(device_id)
        problems += _device_head_problems(device_id, heads.get(device_id), end)
    return problems


def _device_head_problems(
    device_id: str, head: tuple[int, str] | None, end: tuple[int, str] | None
) -> list[views.AuditProblem]:
    trail = "The audit trail" + device_label(device_id)
    if head is None:
        if end is None:
            return []
        return [
            views.AuditProblem(
                "head",
                f"The stored head of the audit trail{device_label(device_id)} is missing (the "
                f"trail ends at event {end[0]}): it was deleted outside Invoicer.",
                event=end[0],
            )
        ]
    head_seq, head_hash = head
    if end is None or head_seq > end[0]:
        ends_at = "has no events" if end is None else f"ends at event {end[0]}"
        return [
            views.AuditProblem(
                "head",
                f"{trail} was cut off: it {ends_at}, but its newest event was "
                f"{head_seq}. The events after that point were removed, and with them "
                "possibly the documents and payments they recorded.",
                event=head_seq,
            )
        ]
    last_seq, last_hash = end
    if head_seq < last_seq:
        return [
            views.AuditProblem(
                "head",
                f"Events {head_seq + 1} to {last_seq}{device_label(device_id)} were added "
                f"outside Invoicer (the stored head is still at event {head_seq}).",
                event=head_seq + 1,
            )
        ]
    if head_hash != last_hash:
        return [
            views.AuditProblem(
                "head",
                f"Event {last_seq}{device_label(device_id)}, the newest, is not the one that "
                "was written (its hash differs from the stored head).",
                event=last_seq,
            )
        ]
    return []
