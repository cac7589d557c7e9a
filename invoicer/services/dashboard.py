"""The dashboard's figures in plain SQL on a DB-API connection (standard library only).

ReportService.dashboard runs this inside its read session, and the terminal UI runs it on a
read-only connection before SQLAlchemy is imported (first_look.py): one query, one answer,
whichever way the file was opened. The caller provides the transaction (one snapshot).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invoicer.domain.money import currency, from_minor
from invoicer.services import views
from invoicer.services.status import STATUS_WHERE, UNSETTLED, status_of

if TYPE_CHECKING:
    from invoicer.store.plain import PlainConnection

LATEST = 8
OVERDUE_ITEMS, DRAFT_ITEMS, VAT_ITEMS = 10, 5, 5
OLD_DRAFT_DAYS = 14

_SUMMARY_COLUMNS = (
    "id, kind, number, issued_at, issue_date, due_date, customer_id, customer_name, currency, "
    "net_minor, vat_minor, gross_minor, paid_minor, credited_minor"
)


def _money(minor: int, code: str) -> Decimal:
    return from_minor(minor, currency(code))


def _date(value: str | dt.date | None) -> dt.date | None:
    """A stored date: ISO text on SQLite, a date from PostgreSQL."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10]) if value else None


def _stored_datetime(value: dt.datetime) -> str:
    """A naive UTC datetime as SQLAlchemy's SQLite DateTime stores it (compares as text)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def read_dashboard(
    db: PlainConnection, today: dt.date, now: dt.datetime, shop_id: str | None = None
) -> views.Dashboard:
    """`now` is naive UTC (the store's created_at); `today` the merchant's calendar day.
    `shop_id`: the shop of a server's database (plain SQL is not scoped by a session); None
    for a local file, which holds one shop (its queries stay as they were tuned)."""
    mine, own = ("AND shop_id = ? ", (shop_id,)) if shop_id is not None else ("", ())
    of_shop = "WHERE shop_id = ? " if shop_id is not None else ""
    row = db.execute(f"SELECT currency FROM shop {of_shop}LIMIT 1", own).fetchone()
    code = (row[0] if row else None) or "EUR"
    start = today - dt.timedelta(days=29)
    # Net revenue per day from the VAT day totals (migration 0008): an invoice's net is the sum
    # of its VAT groups' taxable amounts, and a few rows a day are read instead of every invoice.
    per_day = dict(
        db.execute(
            "SELECT issue_date, SUM(taxable_minor) FROM vat_day_totals "
            f"WHERE currency = ? AND issue_date BETWEEN ? AND ? {mine}GROUP BY issue_date",
            (code, start.isoformat(), today.isoformat(), *own),
        ).fetchall()
    )
    days = tuple(
        _money(per_day.get((start + dt.timedelta(days=n)).isoformat()) or 0, code)
        for n in range(30)
    )
    balance = "gross_minor - paid_minor - credited_minor"
    open_total, overdue_total = db.execute(
        f"SELECT COALESCE(SUM({balance}), 0), "
        f"COALESCE(SUM(CASE WHEN due_date < ? THEN {balance} ELSE 0 END), 0) "
        f"FROM invoices WHERE {UNSETTLED} AND currency = ? {mine}",
        (today.isoformat(), code, *own),
    ).fetchone()
    latest = _rows(
        db,
        f"SELECT {_SUMMARY_COLUMNS} FROM invoices WHERE issued_at IS NOT NULL {mine}"
        "ORDER BY issue_date DESC, id DESC LIMIT ?",
        (*own, LATEST),
    )
    return views.Dashboard(
        currency=code,
        revenue_30d=sum(days, Decimal(0)),
        revenue_by_day_30d=days,
        open_total=_money(open_total, code),
        overdue_total=_money(overdue_total, code),
        latest=tuple(_summary(r, today) for r in latest),
        attention=_attention(db, today, now, mine, own),
    )


def _rows(db: PlainConnection, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    try:
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _summary(row: dict[str, Any], today: dt.date) -> views.InvoiceSummary:
    code, kind, gross = row["currency"], row["kind"], row["gross_minor"]
    paid, credited = row["paid_minor"], row["credited_minor"]
    due = _date(row["due_date"])
    balance = gross - paid - credited if kind == "invoice" else 0
    return views.InvoiceSummary(
        id=row["id"],
        kind=kind,
        number=row["number"],
        status=status_of(
            issued=row["issued_at"] is not None,
            kind=kind,
            gross_minor=gross,
            paid_minor=paid,
            credited_minor=credited,
            due_date=due,
            today=today,
        ),
        issue_date=_date(row["issue_date"]),
        due_date=due,
        customer_id=row["customer_id"],
        customer_name=row["customer_name"],
        currency=code,
        net=_money(row["net_minor"], code),
        vat=_money(row["vat_minor"], code),
        gross=_money(gross, code),
        paid=_money(paid, code),
        balance=_money(balance, code),
    )


def _attention(
    db: PlainConnection, today: dt.date, now: dt.datetime, mine: str, own: tuple[str, ...]
) -> tuple[views.Attention, ...]:
    items: list[views.Attention] = []
    # The oldest first; the rowids are picked first so that only those rows are read.
    # (PostgreSQL: no rowid, and no SQLite index hint, the unary plus, on a date.)
    on_sqlite = isinstance(db, sqlite3.Connection)
    key = "rowid" if on_sqlite else "id"
    where = STATUS_WHERE["overdue"].replace(":today", "?")
    if not on_sqlite:
        where = where.replace("+due_date", "due_date")
    overdue = db.execute(
        "SELECT id, number, customer_name, currency, gross_minor - paid_minor - credited_minor, "
        f"due_date FROM invoices WHERE {key} IN (SELECT {key} FROM invoices "
        f"WHERE {where} {mine}ORDER BY due_date, {key} LIMIT ?) "
        f"ORDER BY due_date, {key}",
        (today.isoformat(), *own, OVERDUE_ITEMS),
    )
    for id_, number, name, code, balance, due in overdue:
        days = (today - due_date).days if (due_date := _date(due)) else 0
        items.append(
            views.Attention(
                "overdue",
                f"{number} {name}: {_money(balance, code)} {code}, {days} days overdue",
                invoice_id=id_,
            )
        )
    cutoff = _stored_datetime(now - dt.timedelta(days=OLD_DRAFT_DAYS))
    drafts = db.execute(
        "SELECT id, customer_name, created_at FROM invoices "
        f"WHERE issued_at IS NULL AND created_at < ? {mine}ORDER BY created_at, id LIMIT ?",
        (cutoff, *own, DRAFT_ITEMS),
    )
    for id_, name, created in drafts:
        items.append(
            views.Attention(
                "old_draft",
                f"Draft for {name} from {str(created)[:10]} is not issued yet",
                invoice_id=id_,
            )
        )
    unverified = db.execute(
        "SELECT id, name, vat_number FROM customers WHERE NOT archived "
        f"AND vat_number IS NOT NULL AND NOT COALESCE(vies_valid, FALSE) {mine}"
        "ORDER BY name, id LIMIT ?",
        (*own, VAT_ITEMS),
    )
    for id_, name, vat_number in unverified:
        items.append(
            views.Attention(
                "unverified_vat",
                f"{name}: VAT number {vat_number} has no valid VIES check",
                customer_id=id_,
            )
        )
    return tuple(items)
