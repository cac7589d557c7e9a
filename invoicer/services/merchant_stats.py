"""The merchant's statistics of the last N days: issued and received per day, paid against open,
and the top customers, per currency (different currencies are never added together).

Every figure is a SQL aggregate (a few rows per day and currency come back, never the
invoices), read in one snapshot. The window is in the merchant's calendar days: it ends on the
context clock's today (the shop's day, not the UTC date of the instant), and the stored issue
and payment dates are the shop's days already. ORM queries: scoped to the context's shop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.reports import check_days
from invoicer.store import schema

TOP_CUSTOMERS = 5

inv = schema.Invoice
pay = schema.Payment


class MerchantStatsService(Service):
    def stats(self, days: int = 30, end: dt.date | None = None) -> views.MerchantStats:
        """The `days` days (1..366) up to `end` (default: the merchant's today)."""
        days = check_days(days)
        end = end or self.today()
        start = end - dt.timedelta(days=days - 1)
        with self._read() as session:
            issued = _per_day(session, _issued_per_day(start, end))
            received = _per_day(session, _received_per_day(start, end))
            standing = {row[0]: row[1:] for row in session.execute(_standing(start, end))}
            top = _top_customers(session, start, end)
            shop_currency = session.execute(select(schema.Shop.currency)).scalar() or "EUR"
        codes = sorted(
            {shop_currency, *(c for c, _ in issued), *(c for c, _ in received), *standing},
            key=lambda code: (code != shop_currency, code),
        )
        window = [start + dt.timedelta(days=n) for n in range(days)]
        return views.MerchantStats(
            start=start,
            end=end,
            days=days,
            currencies=tuple(
                _currency(
                    code,
                    window,
                    issued,
                    received,
                    standing.get(code, (0, 0, 0, 0, 0)),
                    top.get(code, ()),
                )
                for code in codes
            ),
        )


def _issued_per_day(start: dt.date, end: dt.date) -> Any:
    """From the VAT day totals the issue trigger keeps (migration 0008), as the dashboard and
    the VAT summary read them: a document's gross is its VAT groups' taxable amounts and tax
    (credit notes negative), and a few rows a day are read instead of every invoice."""
    day = schema.VatDayTotal
    return (
        select(day.currency, day.issue_date, func.sum(day.taxable_minor + day.tax_minor))
        .where(day.issue_date >= start.isoformat(), day.issue_date <= end.isoformat())
        .group_by(day.currency, day.issue_date)
    )


def _received_per_day(start: dt.date, end: dt.date) -> Any:
    return (
        select(pay.currency, pay.date, func.sum(pay.amount_minor))
        .where(pay.date >= start, pay.date <= end)
        .group_by(pay.currency, pay.date)
    )


def _standing(start: dt.date, end: dt.date) -> Any:
    """Per currency, the window's invoices: count, settled count, paid, unsettled count and
    what the unsettled ones still owe (settled: the column the database derives)."""
    unsettled = inv.settled == 0
    balance = inv.gross_minor - inv.paid_minor - inv.credited_minor
    return (
        select(
            inv.currency,
            func.count(),
            func.sum(case((unsettled, 0), else_=1)),
            func.sum(inv.paid_minor),
            func.sum(case((unsettled, 1), else_=0)),
            func.sum(case((unsettled, balance), else_=0)),
        )
        .where(*_window_invoices(start, end))
        .group_by(inv.currency)
    )


def _window_invoices(start: dt.date, end: dt.date) -> tuple[Any, ...]:
    return (
        inv.issued_at.is_not(None),
        inv.kind == "invoice",
        inv.issue_date >= start,
        inv.issue_date <= end,
    )


def _top_customers(
    session: Session, start: dt.date, end: dt.date
) -> dict[str, tuple[views.TopCustomer, ...]]:
    """The TOP_CUSTOMERS customers per currency by issued gross (credit notes deducted),
    ranked in SQL so that only those rows come back however many customers the shop has."""
    gross = func.sum(inv.gross_minor)
    totals = (
        select(
            inv.currency.label("currency"),
            inv.customer_id.label("customer_id"),
            func.max(inv.customer_name).label("invoiced_name"),
            gross.label("gross"),
            func.count().label("count"),
            func.row_number()
            .over(partition_by=inv.currency, order_by=(gross.desc(), inv.customer_id))
            .label("rank"),
        )
        .where(inv.issued_at.is_not(None), inv.issue_date >= start, inv.issue_date <= end)
        .group_by(inv.currency, inv.customer_id)
        .subquery()
    )
    customer = schema.Customer
    rows = session.execute(
        select(
            totals.c.currency,
            totals.c.customer_id,
            func.coalesce(customer.name, totals.c.invoiced_name),
            totals.c.gross,
            totals.c.count,
        )
        .outerjoin(customer, customer.id == totals.c.customer_id)
        .where(totals.c.rank <= TOP_CUSTOMERS)
        .order_by(totals.c.currency, totals.c.rank)
    ).all()
    found: dict[str, list[views.TopCustomer]] = {}
    for code, customer_id, name, minor, count in rows:
        found.setdefault(code, []).append(
            views.TopCustomer(customer_id, name, mapping.money(minor, code), count)
        )
    return {code: tuple(items) for code, items in found.items()}


def _per_day(session: Session, query: Any) -> dict[tuple[str, dt.date], int]:
    return {(code, _day(day)): int(minor) for code, day, minor in session.execute(query)}


def _currency(
    code: str,
    window: Iterable[dt.date],
    issued: dict[tuple[str, dt.date], int],
    received: dict[tuple[str, dt.date], int],
    standing: tuple[int, ...],
    top: tuple[views.TopCustomer, ...],
) -> views.CurrencyStats:
    count, paid_count, paid, open_count, open_minor = (int(v or 0) for v in standing)
    days = tuple(
        views.StatsDay(
            day,
            mapping.money(issued.get((code, day), 0), code),
            mapping.money(received.get((code, day), 0), code),
        )
        for day in window
    )
    return views.CurrencyStats(
        currency=code,
        issued=mapping.money(sum(issued.get((code, d.day), 0) for d in days), code),
        received=mapping.money(sum(received.get((code, d.day), 0) for d in days), code),
        days=days,
        invoices=count,
        paid_count=paid_count,
        paid=mapping.money(paid, code),
        open_count=open_count,
        open=mapping.money(open_minor, code),
        top_customers=top,
    )


def _day(value: dt.date | str) -> dt.date:
    """A stored date: a date from PostgreSQL, ISO text from SQLite's aggregate rows."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
