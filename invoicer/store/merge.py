"""The per-field merge of the records two devices may both edit: customers, products and the
shop's profile (DESIGN.md §11, docs/sync.md "Merging edits").

Every event about such a record carries a logical stamp: a Lamport clock (one more than the
highest this store has seen, its own writes and every event it applied), the device and the
event's place in that device's chain, written `clock.device.seq`. Stamps are totally ordered
and never read a wall clock, so a device whose clock is days off changes nothing. The event
lists the fields it changed, each with the stamps of the writes it replaced (its parents).

Applying an event sets each of its fields whose stamp is newer than the one the field has
(`merge_state` keeps each field's stamp and value): last writer wins per field, and every
store ends in the same state whatever order the events arrive in.

For the fields a rule cannot settle safely (a customer's VAT number, a product's price...),
every write is also kept (`field_writes`). Writes no later write names as a parent are the
field's leaves; two leaves with different values are a conflict shown to a person, until a
write that saw both (a person's choice, or any later edit of that field) names them as its
parents. Both what stands and the conflicts depend only on the set of events, not on their
order.

Events written before this module (no stamp: `clock` absent) count as clock 0 and change
every field, so a store's history applies in its own order and any later edit wins over it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.orm import Session

from invoicer.store import schema, sync_schema
from invoicer.store.event_state import column_values
from invoicer.store.tenancy import shop_of

MODELS: dict[str, Any] = {
    "customer": schema.Customer,
    "product": schema.Product,
    "shop": schema.Shop,
}
# Fields whose concurrent edits a person settles (the rule still picks a value meanwhile).
GUARDED: dict[str, frozenset[str]] = {
    "customer": frozenset({"vat_number", "country", "is_business"}),
    "product": frozenset({"unit_price", "currency", "rate_class", "supply_kind"}),
    "shop": frozenset({"vat_number", "iban", "country", "vat_status", "currency"}),
}
# A shop has one profile: its events merge into that row whatever id each store gave it.
PROFILE_KEY = "profile"
FORCE_KEY = "resolve"  # a state listing fields a write asserts even where unchanged


def _table(name: str) -> Table:
    return schema.Base.metadata.tables[name]


_STATE = _table(sync_schema.MergeState.__tablename__)
_WRITES = _table(sync_schema.FieldWrite.__tablename__)
_CLOCKS = _table(sync_schema.LogicalClock.__tablename__)


def stamp_of(clock: int, device_id: str, device_seq: int) -> str:
    """Zero-padded so that comparing the text compares (clock, device, seq)."""
    return f"{clock:012d}.{device_id}.{device_seq:010d}"


def merged(entity: str) -> bool:
    return entity in MODELS


def _key(entity: str, entity_id: str) -> str:
    return PROFILE_KEY if entity == "shop" else entity_id


# -- writing: the event a service appends ---------------------------------------------------


def stamp(
    session: Session,
    event_id: str,
    device_id: str,
    device_seq: int,
    entity: str,
    entity_id: str,
    state: dict[str, Any],
) -> dict[str, Any]:
    """The state of a new event about a merged record, with its clock and changed fields;
    this store's merge state moves with it (it is the write)."""
    row = state.get("row")
    if not isinstance(row, dict) or "clock" in state:
        return state
    key = _key(entity, entity_id)
    fields = _load(session, entity, key)
    forced = set(state.get(FORCE_KEY, ()))
    clock = _tick(session)
    this = stamp_of(clock, device_id, device_seq)
    changed: dict[str, list[str]] = {}
    for name, value in row.items():
        current = fields.get(name)
        if current is not None and current[1] == value and name not in forced:
            continue
        parents = _leaves(session, entity, key, name) if name in GUARDED[entity] else []
        if not parents and current is not None:
            parents = [current[0]]
        changed[name] = parents
        fields[name] = [this, value]
        if name in GUARDED[entity]:
            _record_write(session, entity, key, name, this, parents, value, event_id)
    _save(session, entity, key, fields)
    stamped = {k: v for k, v in state.items() if k != FORCE_KEY}
    return {**stamped, "clock": clock, "fields": changed}


# -- applying: an event from another device -------------------------------------------------


def apply(session: Session, event: Any, state: dict[str, Any]) -> None:
    """Merge a merged record's event into this store (replay's handler for them)."""
    entity = event.entity
    model = MODELS[entity]
    row = state["row"]
    values = column_values(model, row)  # every column present and valid, or refused
    clock = state.get("clock", 0)
    if type(clock) is not int or clock < 0:
        raise ValueError("its logical clock is not a whole number")
    changed = state.get("fields")
    legacy = changed is None  # written before stamps: every field, in its device's order
    if legacy:
        changed = dict.fromkeys(row, None)
    if not isinstance(changed, dict):
        raise ValueError("its changed fields are not an object")
    this = stamp_of(clock, event.device_id, event.device_seq)
    _see(session, clock)
    key = _key(entity, event.entity_id)
    fields = _load(session, entity, key)
    table = model.__table__
    where = _row_where(session, model, values)
    exists = session.execute(select(table.c.shop_id).where(where)).first() is not None
    winning: dict[str, Any] = {}
    for name, parents in changed.items():
        if name not in row:
            raise ValueError(f"it changes {name!r}, which its row lacks")
        if name in GUARDED[entity]:
            if legacy:  # one device's history, in order: each write replaced the last
                parents = _leaves(session, entity, key, name)
            _record_write(session, entity, key, name, this, list(parents), row[name], event.id)
        current = fields.get(name)
        if current is None or this > current[0]:
            fields[name] = [this, row[name]]
            winning[name] = values[name]
    if not exists:
        # A record new here: its columns as the event has them, each field as merged.
        full = {**values, **winning, "shop_id": shop_of(session)}
        for name, (_stamp, value) in fields.items():
            if name not in winning and name in values:
                full[name] = column_values(model, {**row, name: value})[name]
        session.execute(insert(table).values(full))
    elif winning:
        session.execute(update(table).where(where).values(winning))
    _save(session, entity, key, fields)


def _row_where(session: Session, model: Any, values: dict[str, Any]) -> Any:
    table = model.__table__
    if model is schema.Shop:  # the shop's one profile, whatever its id here
        return table.c.shop_id == shop_of(session)
    return and_(table.c.shop_id == shop_of(session), table.c.id == values["id"])


# -- the stores of stamps -------------------------------------------------------------------


def _load(session: Session, entity: str, key: str) -> dict[str, list[Any]]:
    text = session.execute(
        select(_STATE.c.fields).where(
            _STATE.c.shop_id == shop_of(session),
            _STATE.c.entity == entity,
            _STATE.c.entity_id == key,
        )
    ).scalar()
    return json.loads(text) if text else {}


def _save(session: Session, entity: str, key: str, fields: dict[str, list[Any]]) -> None:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    where = and_(
        _STATE.c.shop_id == shop_of(session), _STATE.c.entity == entity, _STATE.c.entity_id == key
    )
    done = session.execute(update(_STATE).where(where).values(fields=text))
    if not done.rowcount:  # type: ignore[attr-defined]
        session.execute(
            insert(_STATE).values(
                shop_id=shop_of(session), entity=entity, entity_id=key, fields=text
            )
        )


def _tick(session: Session) -> int:
    """The next clock for a write of this store."""
    value = _clock(session) + 1
    _set_clock(session, value)
    return value


def _see(session: Session, clock: int) -> None:
    if clock > _clock(session):
        _set_clock(session, clock)


def _clock(session: Session) -> int:
    value = session.execute(
        select(_CLOCKS.c.value).where(_CLOCKS.c.shop_id == shop_of(session))
    ).scalar()
    return int(value or 0)


def _set_clock(session: Session, value: int) -> None:
    where = _CLOCKS.c.shop_id == shop_of(session)
    if not session.execute(update(_CLOCKS).where(where).values(value=value)).rowcount:  # type: ignore[attr-defined]
        session.execute(insert(_CLOCKS).values(shop_id=shop_of(session), value=value))


def _record_write(
    session: Session,
    entity: str,
    key: str,
    name: str,
    this: str,
    parents: list[str],
    value: Any,
    event_id: str,
) -> None:
    where = and_(
        _WRITES.c.shop_id == shop_of(session),
        _WRITES.c.entity == entity,
        _WRITES.c.entity_id == key,
        _WRITES.c.field == name,
        _WRITES.c.stamp == this,
    )
    if session.execute(select(_WRITES.c.stamp).where(where)).first() is not None:
        return
    session.execute(
        insert(_WRITES).values(
            shop_id=shop_of(session),
            entity=entity,
            entity_id=key,
            field=name,
            stamp=this,
            parents=json.dumps(sorted(parents)),
            value=json.dumps(value, sort_keys=True, ensure_ascii=False),
            event_id=event_id,
        )
    )


def _leaves(session: Session, entity: str, key: str, name: str) -> list[str]:
    writes = field_history(session, entity, key, name)
    return leaves_of(writes)


def field_history(session: Session, entity: str, key: str, name: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(_WRITES.c.stamp, _WRITES.c.parents, _WRITES.c.value).where(
            _WRITES.c.shop_id == shop_of(session),
            _WRITES.c.entity == entity,
            _WRITES.c.entity_id == key,
            _WRITES.c.field == name,
        )
    )
    return [
        {"stamp": stamp, "parents": json.loads(parents), "value": json.loads(value)}
        for stamp, parents, value in rows
    ]


def leaves_of(writes: list[dict[str, Any]]) -> list[str]:
    """The writes no other write replaced, oldest first."""
    replaced = {parent for write in writes for parent in write["parents"]}
    return sorted(write["stamp"] for write in writes if write["stamp"] not in replaced)
