"""The complete payload of an event (schema version 2), and back to column values.

A payload holds the rows an event leaves behind, each with every stored column's value as
JSON (decimals, dates and times as text), so that a replay writes exactly what was stored:

- shop, customer, product, payment, payment request, device: `{"row": {...}}`;
  a payment adds `"invoice"`, its invoice's number (what `audit verify` names);
- an invoice or credit note: `{"row": {...}, "lines": [...], "vat_groups": [...]}`; the issue
  events add `"digest"` (issuing.content_digest);
- `invoice.pdf`: `{"id", "pdf_sha256"}`, the one column an issued document may gain;
- `invoice.delete_draft`: `{"id"}`.

Columns SQLite derives (Computed) and the running figures its triggers keep (`paid_minor`,
`credited_minor`) are left out: a replay gets them the same way the original store did.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Date, DateTime

from invoicer.store.schema import DecimalText, Invoice

TRIGGER_KEPT = frozenset({"paid_minor", "credited_minor"})
# The shop a row belongs to is the feed's scope, not its data: a replay writes into the shop
# of its own transaction (store/tenancy.py), so no feed can write into another shop.
SCOPE = frozenset({"shop_id"})


@functools.cache
def stored_columns(model: Any) -> tuple[Column[Any], ...]:
    """The columns a payload carries: all but the derived ones."""
    return tuple(
        column
        for column in model.__table__.columns
        if column.computed is None and column.key not in TRIGGER_KEPT | SCOPE
    )


@functools.cache
def _keys(model: Any) -> tuple[str, ...]:
    return tuple(column.key for column in stored_columns(model))


def _to_json(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):  # most columns: as they are
        return value
    if isinstance(value, Decimal):
        return format(value, "f")  # as DecimalText stores it
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    return value


def row_state(row: Any) -> dict[str, Any]:
    """Every stored column of an ORM row, as JSON values (flush first: defaults and ids)."""
    model: Any = type(row)
    return {key: _to_json(getattr(row, key)) for key in _keys(model)}


def invoice_state(invoice: Invoice) -> dict[str, Any]:
    """A draft, issued invoice or credit note with its lines and VAT groups."""
    return {
        "row": row_state(invoice),
        "lines": [row_state(line) for line in sorted(invoice.lines, key=lambda l: l.position)],  # noqa: E741
        "vat_groups": [
            row_state(group) for group in sorted(invoice.vat_groups, key=lambda g: g.position)
        ],
    }


class IncompletePayload(ValueError):
    """A payload lacks a column, or holds a value that column cannot take."""


def column_values(model: Any, row: dict[str, Any]) -> dict[str, Any]:
    """A payload's row as the Python values of `model`'s columns (the inverse of row_state)."""
    values: dict[str, Any] = {}
    for column in stored_columns(model):
        if column.key not in row:
            raise IncompletePayload(f"The {model.__tablename__} row has no {column.key}.")
        raw = row[column.key]
        try:
            values[column.key] = _from_json(column, raw)
        except (ValueError, ArithmeticError, TypeError) as error:
            raise IncompletePayload(
                f"The {model.__tablename__} row's {column.key} ({raw!r}) is not valid: {error}"
            ) from None
    return values


def _from_json(column: Column[Any], raw: Any) -> Any:
    if raw is None:
        return None
    if isinstance(column.type, DecimalText):
        return Decimal(str(raw))
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(raw)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(raw)
    return raw
