"""Invoice and payment views as the API answers them: every amount of money in integer minor
units of the view's currency (the services' views hold exact Decimals in major units);
quantities, unit prices, rates and exchange rates stay exact decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.domain.money import currency, to_minor
from invoicer.server.serialise import plain
from invoicer.services import views

_INVOICE_AMOUNTS = ("net", "vat", "gross", "paid", "credited", "balance")
_SUMMARY_AMOUNTS = ("net", "vat", "gross", "paid", "balance")


def _minor(amount: Decimal, code: str) -> int:
    # exact: the views' amounts come from minor units (mapping.money), nothing is rounded
    return to_minor(amount, currency(code))


def invoice(view: views.Invoice) -> dict[str, Any]:
    body: dict[str, Any] = plain(view)
    code = view.currency
    for name in _INVOICE_AMOUNTS:
        body[name] = _minor(getattr(view, name), code)
    for line, out in zip(view.lines, body["lines"], strict=True):
        out["net"] = _minor(line.net, code)
    for group, out in zip(view.vat_groups, body["vat_groups"], strict=True):
        out["taxable"] = _minor(group.taxable, code)
        out["tax"] = _minor(group.tax, code)
    return body


def summary(view: views.InvoiceSummary) -> dict[str, Any]:
    body: dict[str, Any] = plain(view)
    for name in _SUMMARY_AMOUNTS:
        body[name] = _minor(getattr(view, name), view.currency)
    return body


def payment(view: views.Payment) -> dict[str, Any]:
    body: dict[str, Any] = plain(view)
    body["amount"] = _minor(view.amount, view.currency)
    return body


def merchant_stats(view: views.MerchantStats) -> dict[str, Any]:
    body: dict[str, Any] = plain(view)
    for stats, out in zip(view.currencies, body["currencies"], strict=True):
        code = stats.currency
        for name in ("issued", "received", "paid", "open"):
            out[name] = _minor(getattr(stats, name), code)
        for day, day_out in zip(stats.days, out["days"], strict=True):
            day_out["issued"] = _minor(day.issued, code)
            day_out["received"] = _minor(day.received, code)
        for top, top_out in zip(stats.top_customers, out["top_customers"], strict=True):
            top_out["issued"] = _minor(top.issued, code)
    return body
