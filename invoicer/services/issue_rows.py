"""The issuing transaction's reads and writes as Core statements, without the ORM's unit of
work (issuing is the hot path: docs/benchmarks.md).

The draft, its lines and groups, the shop and the customer are read with Core into transient
model objects (never added to the session), so the VAT decision, the snapshots, the digest
and the view run the same code as everywhere else. `write_back` then writes what changed,
as the ORM's flush would: the lines whose decided VAT differs from the draft's estimate, the
VAT groups if they differ, and the invoice row in one UPDATE that also sets `issued_at` (so
the day-total trigger of migration 0008 fires once, after the groups are written).

Every statement takes its columns from the model's table and writes the attributes that are
set, so a column added to a table is read and written here without a change. Core statements
bypass the tenancy hooks of store/tenancy.py, so each one names the transaction's shop
itself: reads are scoped by it and new rows carry it. The statements are built once
(SQLAlchemy then reuses their compiled form without rebuilding or re-hashing them).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Column, RowMapping, Table, bindparam, delete, insert, inspect, select, update
from sqlalchemy.orm import Session, configure_mappers

from invoicer.store import schema
from invoicer.store.tenancy import shop_of

INVOICES: Table = schema.Invoice.__table__  # type: ignore[assignment]
LINES: Table = schema.InvoiceLine.__table__  # type: ignore[assignment]
GROUPS: Table = schema.VatGroupRow.__table__  # type: ignore[assignment]
SHOP: Table = schema.Shop.__table__  # type: ignore[assignment]
CUSTOMERS: Table = schema.Customer.__table__  # type: ignore[assignment]


@functools.cache
def stored(table: Table) -> tuple[Column[Any], ...]:
    """The columns a row is made of (not the ones SQLite computes)."""
    return tuple(column for column in table.columns if column.computed is None)


@functools.cache
def _stored_keys(table: Table) -> tuple[str, ...]:
    return tuple(column.key for column in stored(table))


M = TypeVar("M", bound=schema.Base)


def as_loaded(model: type[M], values: Mapping[str, Any] | RowMapping) -> M:
    """A transient `model` object holding `values` as if loaded: no change history, and
    built without the constructor's per-attribute events (15x cheaper for a wide row)."""
    obj = cast(M, _manager(model).new_instance())
    vars(obj).update(values)
    return obj


@functools.cache
def _manager(model: type[schema.Base]) -> Any:
    # The relationships get their attribute machinery when the mappers are configured, which
    # an ORM query does on first use: a process whose first work is issuing has made none.
    configure_mappers()
    return inspect(model).class_manager  # inspect() costs more than building the object


def set_values(obj: Any, table: Table) -> dict[str, Any]:
    """The column values set on a model object (unset ones keep their column default)."""
    values = vars(obj)
    return {key: values[key] for key in _stored_keys(table) if key in values}


# `:shop` is the transaction's shop in every statement (the key every shop-held table leads with).
_INVOICE = select(*stored(INVOICES)).where(INVOICES.c.shop_id == bindparam("shop"))
INVOICE_BY_ID = _INVOICE.where(INVOICES.c.id == bindparam("key"))
INVOICE_BY_NUMBER = _INVOICE.where(INVOICES.c.number == bindparam("key"))
LINES_OF = (
    select(*stored(LINES))
    .where(LINES.c.shop_id == bindparam("shop"), LINES.c.invoice_id == bindparam("invoice_id"))
    .order_by(LINES.c.position)
)
GROUPS_OF = (
    select(*stored(GROUPS))
    .where(GROUPS.c.shop_id == bindparam("shop"), GROUPS.c.invoice_id == bindparam("invoice_id"))
    .order_by(GROUPS.c.position)
)
THE_SHOP = select(*stored(SHOP)).where(SHOP.c.shop_id == bindparam("shop"))
CUSTOMER = select(*stored(CUSTOMERS)).where(
    CUSTOMERS.c.shop_id == bindparam("shop"), CUSTOMERS.c.id == bindparam("customer_id")
)
# The SET clauses are the changed columns given with each execution.
UPDATE_LINE = update(LINES).where(
    LINES.c.shop_id == bindparam("shop"), LINES.c.id == bindparam("line_id")
)
UPDATE_INVOICE = update(INVOICES).where(
    INVOICES.c.shop_id == bindparam("shop"), INVOICES.c.id == bindparam("invoice_id")
)
DELETE_GROUPS = delete(GROUPS).where(
    GROUPS.c.shop_id == bindparam("shop"), GROUPS.c.invoice_id == bindparam("invoice_id")
)
INSERT_GROUP = insert(GROUPS)


@dataclass
class Draft:
    """A draft as read, and the values it was read with (to write back only changes)."""

    invoice: schema.Invoice
    row: dict[str, Any]
    lines: dict[str, dict[str, Any]]
    groups: list[dict[str, Any]]


def load_draft(session: Session, invoice_id: str) -> Draft | None:
    """The invoice `invoice_id` (an id or a number) with its lines and groups, or None."""
    connection, shop = session.connection(), shop_of(session)
    row = connection.execute(INVOICE_BY_ID, {"shop": shop, "key": invoice_id}).first()
    if row is None:
        row = connection.execute(INVOICE_BY_NUMBER, {"shop": shop, "key": invoice_id}).first()
    if row is None:
        return None
    values = dict(row._mapping)
    key = {"shop": shop, "invoice_id": values["id"]}
    lines = [dict(line._mapping) for line in connection.execute(LINES_OF, key)]
    groups = [dict(group._mapping) for group in connection.execute(GROUPS_OF, key)]
    invoice = as_loaded(schema.Invoice, values)
    invoice.lines = [as_loaded(schema.InvoiceLine, line) for line in lines]
    invoice.vat_groups = [as_loaded(schema.VatGroupRow, group) for group in groups]
    return Draft(invoice, values, {line["id"]: line for line in lines}, groups)


def load_parties(
    session: Session, customer_id: str
) -> tuple[schema.Shop | None, schema.Customer | None]:
    connection, shop_id = session.connection(), shop_of(session)
    shop = connection.execute(THE_SHOP, {"shop": shop_id}).first()
    customer = connection.execute(CUSTOMER, {"shop": shop_id, "customer_id": customer_id}).first()
    return (
        as_loaded(schema.Shop, shop._mapping) if shop is not None else None,
        as_loaded(schema.Customer, customer._mapping) if customer is not None else None,
    )


def _changed(obj: Any, table: Table, before: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in set_values(obj, table).items()
        if key not in before or value != before[key]
    }


def _group_key(group: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in group.items() if k not in ("id", "shop_id", "invoice_id")}


def write_back(session: Session, draft: Draft) -> None:
    """Write what issuing changed in the draft: lines, VAT groups, then the invoice row."""
    connection, shop = session.connection(), shop_of(session)
    invoice = draft.invoice
    changed_lines = []
    for line in invoice.lines:
        changes = _changed(line, LINES, draft.lines[line.id])
        if changes:
            changed_lines.append((line.id, changes))
    for line_id, changes in changed_lines:
        connection.execute(UPDATE_LINE, {**changes, "shop": shop, "line_id": line_id})
    groups = [set_values(group, GROUPS) for group in invoice.vat_groups]
    if [_group_key(g) for g in groups] != [_group_key(g) for g in draft.groups]:
        connection.execute(DELETE_GROUPS, {"shop": shop, "invoice_id": invoice.id})
        for group in invoice.vat_groups:  # named before they are written, as a flush would
            group.id, group.shop_id, group.invoice_id = schema.new_id(), shop, invoice.id
        if groups:
            rows = [set_values(group, GROUPS) for group in invoice.vat_groups]
            connection.execute(INSERT_GROUP, rows)
    else:  # the decision is the estimate: the stored groups stay, and so do their ids
        for group, stored in zip(invoice.vat_groups, draft.groups, strict=True):
            group.id, group.shop_id, group.invoice_id = (
                stored["id"],
                stored["shop_id"],
                stored["invoice_id"],
            )
    changes = _changed(invoice, INVOICES, draft.row)
    if changes:
        connection.execute(UPDATE_INVOICE, {**changes, "shop": shop, "invoice_id": invoice.id})
