"""When a recurring invoice falls due (issue 22, docs/recurring.md).

Pure calendar arithmetic on dates (the shop's calendar days, never instants, so a
daylight-saving change moves nothing). Period n's date is always computed from the start:
start + n x the interval. Stepping from the previous date would drift (Jan 31 -> Feb 28 ->
Mar 28 ...); from the start, the 31st stays the 31st wherever the month has one.

>>> s = Schedule(dt.date(2026, 1, 31), MONTHLY)
>>> [str(s.due_date(n)) for n in range(4)]
['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']
>>> [str(d) for d in s.period(1)]
['2026-02-28', '2026-03-30']
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from invoicer.domain.errors import Problem, ValidationError


class Unit(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Interval:
    """A step of `count` weeks or months."""

    unit: Unit
    count: int = 1


WEEKLY = Interval(Unit.WEEK)
MONTHLY = Interval(Unit.MONTH)
QUARTERLY = Interval(Unit.MONTH, 3)
YEARLY = Interval(Unit.MONTH, 12)

# The names the services and front-ends take; "every N months" is ("months", N).
FREQUENCIES = {"weekly": WEEKLY, "monthly": MONTHLY, "quarterly": QUARTERLY, "yearly": YEARLY}
MAX_COUNT = 120  # every ten years at most: any more is a typing mistake
MAX_PERIODS = 100_000


def interval(frequency: str, every: int | None = None) -> Interval:
    """The interval a template's frequency names; `months` takes `every` (1 to 120).

    >>> interval("months", 2)
    Interval(unit=<Unit.MONTH: 'month'>, count=2)
    """
    if frequency == "months":
        if every is None or not 1 <= every <= MAX_COUNT:
            raise ValidationError.single(
                "every", "range", f"Every how many months: a whole number from 1 to {MAX_COUNT}."
            )
        return Interval(Unit.MONTH, every)
    if frequency not in FREQUENCIES:
        names = ", ".join([*FREQUENCIES, "months"])
        raise ValidationError.single(
            "frequency", "choice", f"Frequency must be one of {names} (got {frequency!r})."
        )
    if every is not None:
        raise ValidationError.single(
            "every", "not_allowed", "Every N is for the 'months' frequency only."
        )
    return FREQUENCIES[frequency]


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def on_day(year: int, month: int, day: int) -> dt.date:
    """The given day of a month, or its last day when the month is shorter (the 31st of
    April is the 30th, Feb 29 of a common year is Feb 28)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Schedule:
    """Due dates from `start` every `every`; for months, on `day_of_month` (default: the
    start's day). When that day falls before the start in the start's month, the first date
    is in the next month. The end: `count` periods at most and none due after `until`."""

    start: dt.date
    every: Interval
    day_of_month: int | None = None
    count: int | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.every.count <= MAX_COUNT:
            problems.append(Problem("every", "range", f"Every must be 1 to {MAX_COUNT}."))
        if self.day_of_month is not None:
            if self.every.unit is Unit.WEEK:
                problems.append(
                    Problem(
                        "day_of_month",
                        "not_allowed",
                        "A weekly schedule falls on the start's weekday; it has no day of "
                        "the month.",
                    )
                )
            elif not 1 <= self.day_of_month <= 31:
                problems.append(
                    Problem("day_of_month", "range", "Day of the month must be 1 to 31.")
                )
        if self.count is not None and not 1 <= self.count <= MAX_PERIODS:
            problems.append(
                Problem("end_after", "range", f"The number of invoices must be 1 to {MAX_PERIODS}.")
            )
        if self.until is not None and self.until < self.start:
            problems.append(
                Problem("end_on", "before_start", "The end date must not be before the start.")
            )
        if problems:
            raise ValidationError(problems)

    def _first_month(self) -> tuple[int, int]:
        year, month = self.start.year, self.start.month
        if on_day(year, month, self._day()) < self.start:
            return add_months(year, month, 1)
        return year, month

    def _day(self) -> int:
        return self.day_of_month or self.start.day

    def due_date(self, n: int) -> dt.date:
        """Period n's date (n = 0 is the first), from the start, never from period n - 1."""
        if n < 0:
            raise ValueError("period index must be 0 or more")
        if self.every.unit is Unit.WEEK:
            return self.start + dt.timedelta(weeks=n * self.every.count)
        year, month = add_months(*self._first_month(), n * self.every.count)
        return on_day(year, month, self._day())

    def period(self, n: int) -> tuple[dt.date, dt.date]:
        """Period n's first and last day (BT-73/74): its date up to the day before the next."""
        return self.due_date(n), self.due_date(n + 1) - dt.timedelta(days=1)

    def in_schedule(self, n: int) -> bool:
        """Whether period n exists at all (the end not reached)."""
        if self.count is not None and n >= self.count:
            return False
        return self.until is None or self.due_date(n) <= self.until

    def due_by(self, today: dt.date, after: int = 0) -> Iterator[int]:
        """The periods from index `after` on that are due on or before `today`, in order."""
        n = after
        while n < MAX_PERIODS and self.in_schedule(n) and self.due_date(n) <= today:
            yield n
            n += 1

    def next_due(self, after: int = 0) -> dt.date | None:
        """The date of the first period from index `after` on, or None past the end."""
        if after >= MAX_PERIODS or not self.in_schedule(after):
            return None
        return self.due_date(after)
