"""A store that brings its history to a server keeps its own shop profile: the server's
shop was signed up with a profile of its own (newer, by the merge's clocks, than a history
written before sync), so once the first pull has brought that one, the store writes its
profile again as a write that saw both (store/merge.py), which then stands everywhere."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from invoicer.services.app import Services
from invoicer.store import audit, merge, schema
from invoicer.store.event_state import column_values, row_state


def profile_state(svc: Services) -> dict[str, Any] | None:
    """The store's shop profile as stored (None: it has none)."""
    with svc.read() as session:
        row = session.execute(select(schema.Shop)).scalar()
        return row_state(row) if row is not None else None


def reclaim_profile(svc: Services, kept: dict[str, Any]) -> bool:
    """Write `kept` (profile_state from before the first pull) over the profile as merged,
    every field asserted; False when nothing differs (no event written)."""
    with svc.write() as session:
        row = session.execute(select(schema.Shop)).scalar()
        if row is None:
            return False
        now = row_state(row)
        fields = [name for name in kept if name != "id" and kept[name] != now.get(name)]
        if not fields:
            return False
        values = column_values(schema.Shop, {**now, **{name: kept[name] for name in fields}})
        for name in fields:
            setattr(row, name, values[name])
        session.flush()
        asserted = [name for name in kept if name != "id"]
        state = {"row": row_state(row), merge.FORCE_KEY: asserted}
        audit.append(session, "shop.claim", "shop", row.id, state)
        return True
