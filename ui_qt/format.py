"""Display helpers shared by models and widgets (no Qt: plain text only).

Money, prices and status names come from the core (invoicer.domain.amounts,
invoicer.services.labels), the same as in the CLI and the terminal UI: the currency's own
decimals (1.234 BHD, 1,000 JPY) and the user's locale, set once the shop is known
(`use_locale`). What the user types is passed to the services as text: one parser reads it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicer.domain.amounts import DEFAULT_LOCALE, format_editable, format_money, format_price
from invoicer.services.labels import STATUS_LABELS, status_label

__all__ = ["STATUS_LABELS", "date", "editable", "money", "price", "status_label", "use_locale"]

_locale = DEFAULT_LOCALE


def locale() -> str:
    """The Babel locale money is shown in now."""
    return _locale


def use_locale(locale: str) -> None:
    """The Babel locale money is shown in (the shop's language: ShopService.locale())."""
    global _locale
    _locale = locale


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return ""
    return format_money(amount, currency or None, locale=_locale)


def price(amount: Decimal | None, currency: str = "") -> str:
    """A unit price: the currency's decimals, more when the price has them."""
    if amount is None:
        return ""
    return format_price(amount, currency or None, locale=_locale)


def editable(value: Decimal | None) -> str:
    """A number to put in an input field; the services read it back exactly."""
    return "" if value is None else format_editable(value, locale=_locale)


def date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""
