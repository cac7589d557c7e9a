"""The conflicts a person settles: concurrent edits of a guarded field (store/merge.py) that
left different values, listed with the values to choose from, and the choice written as an
ordinary event that every device then merges the same way."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invoicer.domain.errors import NotFound, ValidationError
from invoicer.services.base import Service
from invoicer.services.sync.views import ConflictValue, SyncConflict
from invoicer.store import audit, merge, sync_schema
from invoicer.store.event_state import column_values, row_state

_LABELS = {"customer": "name", "product": "name", "shop": "legal_name"}


def open_conflicts(session: Session) -> list[SyncConflict]:
    """Every guarded field whose newest writes (the leaves) disagree, in a fixed order."""
    writes: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        select(
            sync_schema.FieldWrite.entity,
            sync_schema.FieldWrite.entity_id,
            sync_schema.FieldWrite.field,
            sync_schema.FieldWrite.stamp,
            sync_schema.FieldWrite.parents,
            sync_schema.FieldWrite.value,
        )
    )
    for entity, entity_id, field, stamp, parents, value in rows:
        writes[(entity, entity_id, field)].append(
            {"stamp": stamp, "parents": json.loads(parents), "value": json.loads(value)}
        )
    found = []
    for (entity, entity_id, field), history in sorted(writes.items()):
        leaves = set(merge.leaves_of(history))
        tips = sorted((w for w in history if w["stamp"] in leaves), key=lambda w: w["stamp"])
        if len({json.dumps(w["value"], sort_keys=True) for w in tips}) < 2:
            continue
        record = _record(session, entity, entity_id)
        label = str(getattr(record, _LABELS[entity], "") or entity_id) if record else entity_id
        found.append(
            SyncConflict(
                id=f"{entity}:{entity_id}:{field}",
                entity=entity,
                entity_id=entity_id,
                label=label,
                field=field,
                current=tips[-1]["value"],  # the newest stamp stands meanwhile
                values=tuple(
                    ConflictValue(w["stamp"], w["stamp"].split(".")[1], w["value"])
                    for w in reversed(tips)
                ),
            )
        )
    return found


def count_open(session: Session) -> int:
    return len(open_conflicts(session))


def _record(session: Session, entity: str, entity_id: str) -> Any:
    model = merge.MODELS[entity]
    if entity == "shop":
        return session.execute(select(model)).scalars().first()
    return session.get(model, entity_id)


class ConflictService(Service):
    def list(self) -> tuple[SyncConflict, ...]:
        with self._read() as session:
            return tuple(open_conflicts(session))

    def resolve(self, conflict_id: str, stamp: str) -> SyncConflict:
        """Keep the value of the write `stamp` (one of the conflict's): a new write that saw
        every one of them, so the conflict ends on every device once they have it."""
        with self._write() as session:
            conflict = next((c for c in open_conflicts(session) if c.id == conflict_id), None)
            if conflict is None:
                raise NotFound(f"No open conflict {conflict_id!r}: it may be settled already.")
            chosen = next((v for v in conflict.values if v.stamp == stamp), None)
            if chosen is None:
                choices = ", ".join(v.stamp for v in conflict.values)
                raise ValidationError.single(
                    "value", "not_a_choice", f"Choose one of the conflict's values: {choices}."
                )
            record = _record(session, conflict.entity, conflict.entity_id)
            model = merge.MODELS[conflict.entity]
            state = row_state(record)
            value = column_values(model, {**state, conflict.field: chosen.value})[conflict.field]
            setattr(record, conflict.field, value)
            if hasattr(record, "updated_at"):
                record.updated_at = self.now()
            session.flush()
            entity_id = record.id
            audit.append(
                session,
                f"{conflict.entity}.resolve",
                conflict.entity,
                entity_id,
                {"row": row_state(record), merge.FORCE_KEY: [conflict.field]},
            )
            return conflict
