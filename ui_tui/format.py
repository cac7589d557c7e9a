"""Turn service values into short, aligned text for tables and panels.

Money arrives as Decimal in major units plus a currency code; it is written by the core's one
formatter (invoicer.domain.amounts: the currency's own decimals, the user's locale, never
through float), and status names come from invoicer.services.labels, as in the CLI and GUI.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.text import Text

from invoicer.domain.amounts import DEFAULT_LOCALE, format_money, format_price
from invoicer.domain.money import currency as currency_of
from invoicer.services.labels import STATUS_LABELS, status_label

__all__ = [
    "STATUS_LABELS",
    "STATUS_STYLES",
    "amount",
    "date",
    "figure",
    "money",
    "price",
    "status",
    "use_locale",
]

STATUS_STYLES = {
    "draft": "dim",
    "open": "cyan",
    "partially_paid": "yellow",
    "paid": "green",
    "overdue": "bold red",
    "credited": "magenta",
}

_locale = DEFAULT_LOCALE


def locale() -> str:
    """The Babel locale money is shown in now."""
    return _locale


def use_locale(locale: str) -> None:
    """The Babel locale money is shown in (the shop's language: ShopService.locale())."""
    global _locale
    _locale = locale


def money(amount: Decimal | None, code: str | None = None) -> str:
    """`1,234.50 EUR`; an empty string for None."""
    if amount is None:
        return ""
    return format_money(amount, code or None, locale=_locale)


def amount(value: Decimal | None, code: str | None = None) -> Text:
    """Money right-aligned for a table cell."""
    return Text(money(value, code), justify="right")


def figure(value: Decimal | None, code: str) -> Text:
    """Money without its code (a column of one invoice's lines), right-aligned."""
    text = "" if value is None else format_money(value, code, locale=_locale, with_code=False)
    return Text(text, justify="right")


def price(value: Decimal | None, code: str | None = None, *, with_code: bool = True) -> Text:
    """A unit price right-aligned: the currency's decimals, more when it has them."""
    text = "" if value is None else format_price(value, code, locale=_locale, with_code=with_code)
    return Text(text, justify="right")


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def status(value: str) -> Text:
    return Text(status_label(value), style=STATUS_STYLES.get(value, ""))


def quantity(value: Decimal) -> str:
    """A quantity without trailing zeros: 2, 1.5, 0.25."""
    normal = value.normalize()
    return f"{normal:f}" if normal == normal.to_integral() else str(normal)


def minor_units(value: Decimal, code: str | None = None) -> int:
    """An integer for bar charts (Sparkline), so no float is ever made from money."""
    exponent = currency_of(code).exponent if code else 2
    return int(value.scaleb(exponent).to_integral_value())
