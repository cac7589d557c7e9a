"""A shop with a customer and a recurring template, for the recurring tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewLine, NewRecurring

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def customer(svc: Services, name: str = "Jan Jansen") -> str:
    return svc.customers.add(NewCustomer(name=name, country="NL", **ADDRESS)).id


def template(svc: Services, customer_id: str | None = None, **fields: Any) -> str:
    """A monthly hosting subscription from 2026-01-31, left as drafts unless told."""
    values: dict[str, Any] = {
        "customer_id": customer_id or customer(svc),
        "name": "Hosting",
        "frequency": "monthly",
        "start_date": dt.date(2026, 1, 31),
        "lines": [NewLine(description="Hosting", unit_price="20.00")],
    } | fields
    return svc.recurring.create(NewRecurring(**values)).id
