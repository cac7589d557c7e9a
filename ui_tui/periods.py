"""Named periods for filters and reports ("This month", "Last quarter" …)."""

from __future__ import annotations

import datetime as dt

PERIODS = (
    ("Any date", "all"),
    ("Last 30 days", "30d"),
    ("This month", "this_month"),
    ("Last month", "last_month"),
    ("This quarter", "this_quarter"),
    ("Last quarter", "last_quarter"),
    ("This year", "this_year"),
    ("Last year", "last_year"),
)


def period_range(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day), both inclusive; (None, None) for "all".

    >>> period_range("last_month", dt.date(2026, 1, 15))
    (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    >>> period_range("this_quarter", dt.date(2026, 5, 2))
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    """
    if name == "30d":
        return today - dt.timedelta(days=29), today
    if name == "this_month":
        return today.replace(day=1), _month_end(today)
    if name == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if name in {"this_quarter", "last_quarter"}:
        start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        if name == "last_quarter":
            start = (start - dt.timedelta(days=1)).replace(day=1)
            start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        end = _month_end(start.replace(month=start.month + 2))
        return start, end
    if name == "this_year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if name == "last_year":
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None, None


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
