"""An invoice's status, derived and never stored: the rule in Python and as SQL WHERE clauses.

Standard library only, so the terminal UI's first look into the file (first_look.py) can use
it before SQLAlchemy is imported.
"""

from __future__ import annotations

import datetime as dt

# Word for word as in the partial indexes of migration 0003 (SQLite matches them textually).
ISSUED_INVOICE = "issued_at IS NOT NULL AND kind = 'invoice'"
UNSETTLED = f"{ISSUED_INVOICE} AND settled = 0"

# One WHERE clause per status filter, the same rules as status_of(); ":today" is an ISO date.
# "issued" is every issued document (invoices whatever their payment state, and credit notes,
# whose own status is "issued"): all but the drafts, as a user filtering "issued" expects.
STATUS_WHERE = {
    "draft": "issued_at IS NULL",
    "issued": "issued_at IS NOT NULL",
    "credited": f"{ISSUED_INVOICE} AND gross_minor != 0 AND credited_minor >= gross_minor",
    "paid": f"{ISSUED_INVOICE} AND settled = 1 "
    "AND NOT (gross_minor != 0 AND credited_minor >= gross_minor)",
    # "+due_date" keeps SQLite off the due-date index: the unsettled partial index is
    # far smaller than "every invoice due before today".
    "overdue": f"{UNSETTLED} AND +due_date < :today",
    "partially_paid": f"{UNSETTLED} AND NOT (+due_date < :today) AND paid_minor > 0",
    "open": f"{UNSETTLED} AND (+due_date IS NULL OR +due_date >= :today) AND paid_minor <= 0",
}


def status_of(
    *,
    issued: bool,
    kind: str,
    gross_minor: int,
    paid_minor: int,
    credited_minor: int,
    due_date: dt.date | None,
    today: dt.date,
) -> str:
    """From the issued flag, payments, credits and the due date."""
    if not issued:
        return "draft"
    if kind == "credit_note":
        return "issued"
    if gross_minor and credited_minor >= gross_minor:
        return "credited"
    if paid_minor + credited_minor >= gross_minor:
        return "paid"
    if due_date is not None and due_date < today:
        return "overdue"
    if paid_minor > 0:
        return "partially_paid"
    return "open"
