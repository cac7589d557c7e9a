"""When a document may be dated: never before the last one of its series, never far ahead.

Several Member States require the numbers of a series to follow the order of the dates
(an invoice numbered after another is not dated before it), and an issue date years away is a
typing mistake. Checked in the issuing transaction, after the series is locked.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from invoicer.domain import limits
from invoicer.domain.errors import ValidationError
from invoicer.store import schema
from invoicer.store.tenancy import SCOPED_KEY, shop_of

DEFAULT_MAX_FUTURE_DAYS = 0

_INVOICES = schema.Invoice.__table__.c
_ISSUED = (_INVOICES.kind == bindparam("kind")) & _INVOICES.issued_at.is_not(None)
# The latest date alone first: that reads backwards along ix_invoices_issue_date and stops at
# the first issued one (ordering by (issue_date, seq) sorted every invoice); the number only
# for the message. Built once: this runs in every issuing transaction. Core statements bypass
# store/tenancy.py: a transaction that names its shop (a server's) gets the shop's variant; a
# local file's one shop keeps the plain one (a shop_id term would steer SQLite's planner to
# the primary key, every invoice of the shop: 160 ms at 100,000).
_LATEST_DATE = (
    select(_INVOICES.issue_date).where(_ISSUED).order_by(_INVOICES.issue_date.desc()).limit(1)
)
_LAST_NUMBER = (
    select(_INVOICES.number)
    .where(_ISSUED, _INVOICES.issue_date == bindparam("day"))
    .order_by(_INVOICES.seq.desc())
    .limit(1)
)
_OF_SHOP = _INVOICES.shop_id == bindparam("shop")
_OF_SERIES = _INVOICES.series == bindparam("series")
# (named shop, named series) -> the two statements, each built once.
_STATEMENTS = {
    (scoped, of_series): tuple(
        statement.where(*[term for term, on in ((_OF_SHOP, scoped), (_OF_SERIES, of_series)) if on])
        for statement in (_LATEST_DATE, _LAST_NUMBER)
    )
    for scoped in (False, True)
    for of_series in (False, True)
}


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
    connection = session.connection()
    key = {"shop": shop_of(session), "kind": kind, "series": series}
    scoped = session.info.get(SCOPED_KEY)
    latest_date, last_number = _STATEMENTS[bool(scoped), series is not None]
    latest = connection.execute(latest_date, key).scalar()
    if latest is None or issue_date >= latest:
        return
    last = connection.execute(last_number, {**key, "day": latest}).scalar()
    what = "credit note" if kind == "credit_note" else "invoice"
    raise ValidationError.single(
        "issue_date",
        "before_last_issued",
        f"The issue date {issue_date.isoformat()} is before {latest.isoformat()}, "
        f"the date of {last}, the last {what} issued: numbers and dates must stay "
        f"in chronological order. Date it {latest.isoformat()} or later.",
    )
