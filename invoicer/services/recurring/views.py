"""What the recurring services hand to the front-ends: plain, immutable values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TemplateLine:
    product_id: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit_code: str
    rate_class: str
    supply_kind: str
    art59_service: bool


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    name: str
    customer_id: str
    customer_name: str
    lines: tuple[TemplateLine, ...]
    frequency: str
    every: int | None
    day_of_month: int | None
    start_date: dt.date
    end_after: int | None
    end_on: dt.date | None
    auto_issue: bool
    email: bool
    paused: bool
    due_days: int | None
    notes: str | None
    device_id: str  # the device that runs it
    runs_here: bool  # this store is that device
    made: int  # periods made so far
    next_due: dt.date | None  # the next period's day; None once the end is reached


@dataclass(frozen=True, slots=True)
class Made:
    """One period made: its invoice (a draft, or issued with its number)."""

    template_id: str
    template_name: str
    period_index: int
    period_start: dt.date
    period_end: dt.date
    invoice_id: str
    number: str | None  # None: left as a draft
    issued: bool
    note: str  # why an auto-issued period was left a draft, if it was


@dataclass(frozen=True, slots=True)
class Failed:
    """A period that came due but could not be made (tried again at the next run)."""

    template_id: str
    template_name: str
    period_start: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a catch-up made, what it could not, and the due templates other devices run."""

    made: tuple[Made, ...] = ()
    failed: tuple[Failed, ...] = ()
    elsewhere: tuple[str, ...] = ()  # names of templates due that another device runs
    mailed: tuple[str, ...] = ()  # numbers of the made invoices e-mailed (the template asks)
    not_mailed: tuple[tuple[str, str], ...] = ()  # (number, why) of those that could not be

    def __bool__(self) -> bool:
        return bool(self.made or self.failed)

    def sentences(self) -> list[str]:
        """The report in words, one sentence a line, for every front-end alike."""
        lines = []
        for made in self.made:
            what = f"issued {made.number}" if made.issued else "made a draft"
            period = f"{made.period_start.isoformat()} to {made.period_end.isoformat()}"
            note = f" ({made.note})" if made.note else ""
            lines.append(f"{made.template_name}: {what} for {period}{note}.")
        for failed in self.failed:
            lines.append(
                f"{failed.template_name}: the period from {failed.period_start.isoformat()} "
                f"was not made: {failed.reason}"
            )
        lines += [f"E-mailed {number}." for number in self.mailed]
        lines += [
            f"{number} was not e-mailed: {why} (send it with `invoicer invoice send {number}`)."
            for number, why in self.not_mailed
        ]
        return lines

    def summary(self) -> str:
        """One line: how many invoices the catch-up made (for a notification)."""
        if not self:
            return "No recurring invoices were due."
        parts = []
        if self.made:
            count = len(self.made)
            parts.append(f"Made {count} recurring invoice{'s' if count != 1 else ''}")
        if self.failed:
            count = len(self.failed)
            parts.append(f"{count} could not be made (see invoicer recurring run)")
        return "; ".join(parts) + "."
