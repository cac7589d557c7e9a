"""When a document may be dated: never before the last one of its series, never far ahead.

Several Member States require the numbers of a series to follow the order of the dates
(an invoice numbered after another is not dated before it), and an issue date years away is a
typing mistake. Checked in the issuing transaction, after the series is locked.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from invoicer.domain import limits
from invoicer.domain.errors import ValidationError
from invoicer.store import schema

DEFAULT_MAX_FUTURE_DAYS = 0


def check_issue_date(
    session: Session,
    kind: str,
    issue_date: dt.date,
    today: dt.date,
    max_future_days: int = DEFAULT_MAX_FUTURE_DAYS,
    *,
    series: str | None = None,
) -> None:
    """Refuse `issue_date` for the next document of `kind` (invoice, credit_note) if it is
    outside 2000-2100, later than `max_future_days` after today, or before the issue date of
    the last document of that kind already issued (of its `series`, if given: each device's
    series keeps its own order, domain/numbering.py)."""
    limits.check_date(issue_date, field="issue_date")
    latest_allowed = today + dt.timedelta(days=max_future_days)
    if issue_date > latest_allowed:
        ahead = "today" if max_future_days == 0 else f"{max_future_days} day(s) after today"
        raise ValidationError.single(
            "issue_date",
            "in_the_future",
            f"The issue date {issue_date.isoformat()} is in the future: it can be at most "
            f"{ahead} ({latest_allowed.isoformat()}); the max_future_issue_days setting "
            "allows more.",
        )
    inv = schema.Invoice
    query = select(inv.number, inv.issue_date).where(inv.kind == kind, inv.issued_at.is_not(None))
    if series is not None:
        query = query.where(inv.series == series)
    last = session.execute(query.order_by(inv.issue_date.desc(), inv.seq.desc()).limit(1)).first()
    if last is not None and last.issue_date is not None and issue_date < last.issue_date:
        what = "credit note" if kind == "credit_note" else "invoice"
        raise ValidationError.single(
            "issue_date",
            "before_last_issued",
            f"The issue date {issue_date.isoformat()} is before {last.issue_date.isoformat()}, "
            f"the date of {last.number}, the last {what} issued: numbers and dates must stay "
            f"in chronological order. Date it {last.issue_date.isoformat()} or later.",
        )
