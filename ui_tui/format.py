"""Turn service values into short, aligned text for tables and panels.

Money arrives as Decimal in major units plus a currency code; it is shown with thousands
separators and exactly the currency's minor digits, never through float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.text import Text

from invoicer.domain.money import currency as currency_of

STATUS_STYLES = {
    "draft": "dim",
    "open": "cyan",
    "partially_paid": "yellow",
    "paid": "green",
    "overdue": "bold red",
    "credited": "magenta",
}

STATUS_LABELS = {
    "draft": "Draft",
    "open": "Open",
    "partially_paid": "Part paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "credited": "Credited",
    "issued": "Issued",
}


def money(amount: Decimal | None, code: str | None = None) -> str:
    """`1,234.50 EUR`; an empty string for None."""
    if amount is None:
        return ""
    exponent = currency_of(code).exponent if code else 2
    text = f"{amount:,.{exponent}f}"
    return f"{text} {code}" if code else text


def amount(value: Decimal | None, code: str | None = None) -> Text:
    """Money right-aligned for a table cell."""
    return Text(money(value, code), justify="right")


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def status(value: str) -> Text:
    return Text(STATUS_LABELS.get(value, value), style=STATUS_STYLES.get(value, ""))


def quantity(value: Decimal) -> str:
    """A quantity without trailing zeros: 2, 1.5, 0.25."""
    normal = value.normalize()
    return f"{normal:f}" if normal == normal.to_integral() else str(normal)


def minor_units(value: Decimal, code: str | None = None) -> int:
    """An integer for bar charts (Sparkline), so no float is ever made from money."""
    exponent = currency_of(code).exponent if code else 2
    return int(value.scaleb(exponent).to_integral_value())
