"""Display helpers shared by models and widgets (no Qt: plain text only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

STATUS_LABELS = {
    "draft": "Draft",
    "open": "Open",
    "partially_paid": "Partly paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "credited": "Credited",
    "issued": "Issued",
}


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return ""
    text = f"{amount:,.2f}"
    return f"{text} {currency}".strip()


def date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def parse_amount(text: str) -> Decimal | str:
    """Decimal from what a person types ('1 234,50' or '1,234.50'); raw text if unsure."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    return cleaned
