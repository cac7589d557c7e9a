"""Due dates of recurring invoices: from the start each time, month ends handled, ends kept."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicer.domain import recurrence
from invoicer.domain.errors import ValidationError
from invoicer.domain.recurrence import (
    MONTHLY,
    QUARTERLY,
    WEEKLY,
    YEARLY,
    Interval,
    Schedule,
    Unit,
    interval,
)

D = dt.date
starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
month_intervals = st.integers(min_value=1, max_value=recurrence.MAX_COUNT).map(
    lambda n: Interval(Unit.MONTH, n)
)
intervals = st.one_of(month_intervals, st.integers(1, 52).map(lambda n: Interval(Unit.WEEK, n)))
days = st.one_of(st.none(), st.integers(min_value=1, max_value=31))


def dates(schedule: Schedule, n: int) -> list[str]:
    return [str(schedule.due_date(i)) for i in range(n)]


def test_monthly_from_jan_31_keeps_the_month_ends() -> None:
    schedule = Schedule(D(2026, 1, 31), MONTHLY)
    assert dates(schedule, 5) == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
    ]
    assert dates(Schedule(D(2028, 1, 31), MONTHLY), 2) == ["2028-01-31", "2028-02-29"]


def test_feb_29_yearly_is_feb_28_in_common_years() -> None:
    assert dates(Schedule(D(2028, 2, 29), YEARLY), 5) == [
        "2028-02-29",
        "2029-02-28",
        "2030-02-28",
        "2031-02-28",
        "2032-02-29",
    ]


def test_quarterly_and_every_n_months_and_weekly() -> None:
    assert dates(Schedule(D(2026, 11, 30), QUARTERLY), 3) == [
        "2026-11-30",
        "2027-02-28",
        "2027-05-30",
    ]
    assert dates(Schedule(D(2026, 1, 15), interval("months", 5)), 3) == [
        "2026-01-15",
        "2026-06-15",
        "2026-11-15",
    ]
    # The last Sunday of March (a daylight-saving change in the EU) moves nothing.
    assert dates(Schedule(D(2026, 3, 22), WEEKLY), 3) == ["2026-03-22", "2026-03-29", "2026-04-05"]
    assert dates(Schedule(D(2026, 1, 1), interval("weekly")), 2) == ["2026-01-01", "2026-01-08"]


def test_a_day_of_month_before_the_start_begins_the_next_month() -> None:
    assert dates(Schedule(D(2026, 1, 20), MONTHLY, day_of_month=5), 2) == [
        "2026-02-05",
        "2026-03-05",
    ]
    assert dates(Schedule(D(2026, 1, 20), MONTHLY, day_of_month=31), 3) == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
    ]
    assert dates(Schedule(D(2026, 1, 20), MONTHLY, day_of_month=20), 1) == ["2026-01-20"]


def test_periods_run_to_the_day_before_the_next_date() -> None:
    schedule = Schedule(D(2026, 1, 31), MONTHLY)
    assert schedule.period(0) == (D(2026, 1, 31), D(2026, 2, 27))
    assert schedule.period(2) == (D(2026, 3, 31), D(2026, 4, 29))
    assert Schedule(D(2026, 1, 1), MONTHLY).period(0) == (D(2026, 1, 1), D(2026, 1, 31))


def test_ends_after_a_count_or_on_a_date() -> None:
    after_three = Schedule(D(2026, 1, 1), MONTHLY, count=3)
    assert list(after_three.due_by(D(2030, 1, 1))) == [0, 1, 2]
    assert after_three.next_due(2) == D(2026, 3, 1)
    assert after_three.next_due(3) is None
    until = Schedule(D(2026, 1, 1), MONTHLY, until=D(2026, 3, 1))
    assert list(until.due_by(D(2030, 1, 1))) == [0, 1, 2]
    assert not until.in_schedule(3)
    assert list(Schedule(D(2026, 1, 1), MONTHLY, until=D(2026, 2, 28)).due_by(D(2030, 1, 1))) == [
        0,
        1,
    ]


def test_due_by_catches_up_from_where_it_stopped() -> None:
    schedule = Schedule(D(2026, 1, 31), MONTHLY)
    assert list(schedule.due_by(D(2026, 1, 30))) == []
    assert list(schedule.due_by(D(2026, 1, 31))) == [0]
    assert list(schedule.due_by(D(2026, 4, 30), after=1)) == [1, 2, 3]
    assert list(schedule.due_by(D(2026, 4, 29), after=1)) == [1, 2]
    assert schedule.next_due(4) == D(2026, 5, 31)
    assert schedule.next_due(recurrence.MAX_PERIODS) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"every": Interval(Unit.MONTH, 0)}, "every"),
        ({"every": Interval(Unit.MONTH, 121)}, "every"),
        ({"every": WEEKLY, "day_of_month": 3}, "day_of_month"),
        ({"every": MONTHLY, "day_of_month": 0}, "day_of_month"),
        ({"every": MONTHLY, "day_of_month": 32}, "day_of_month"),
        ({"every": MONTHLY, "count": 0}, "end_after"),
        ({"every": MONTHLY, "until": D(2025, 12, 31)}, "end_on"),
    ],
)
def test_refuses_impossible_schedules(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Schedule(D(2026, 1, 1), **kwargs)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == field


def test_interval_names() -> None:
    assert interval("quarterly") == QUARTERLY
    assert interval("months", 1) == MONTHLY
    for bad in [("months", None), ("months", 0), ("months", 121)]:
        with pytest.raises(ValidationError, match="Every how many months"):
            interval(*bad)
    with pytest.raises(ValidationError, match="Frequency must be one of"):
        interval("daily")
    with pytest.raises(ValidationError, match="'months' frequency only"):
        interval("weekly", 2)


def test_negative_period_index_is_a_bug() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        Schedule(D(2026, 1, 1), MONTHLY).due_date(-1)


@settings(max_examples=300, deadline=None)
@given(starts, month_intervals, days, st.integers(min_value=0, max_value=400))
def test_month_dates_are_start_plus_n_intervals(
    start: dt.date, every: Interval, day: int | None, n: int
) -> None:
    schedule = Schedule(start, every, day_of_month=day)
    due = schedule.due_date(n)
    first = schedule.due_date(0)
    months = (due.year - first.year) * 12 + due.month - first.month
    assert months == n * every.count  # exactly n intervals after the first, no drift
    wanted = day or start.day
    assert due.day == min(wanted, calendar.monthrange(due.year, due.month)[1])
    assert first >= start
    assert (first.year, first.month) <= (start.year + (start.month == 12), start.month % 12 + 1)


@settings(max_examples=300, deadline=None)
@given(starts, intervals, days, st.integers(min_value=0, max_value=200))
def test_dates_increase_and_periods_tile_without_gaps(
    start: dt.date, every: Interval, day: int | None, n: int
) -> None:
    day = None if every.unit is Unit.WEEK else day
    schedule = Schedule(start, every, day_of_month=day)
    first, last = schedule.period(n)
    assert first == schedule.due_date(n) < schedule.due_date(n + 1)
    assert last + dt.timedelta(days=1) == schedule.period(n + 1)[0]
    assert first <= last


@settings(max_examples=200, deadline=None)
@given(
    starts,
    intervals,
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=50),
    st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
)
def test_catching_up_in_steps_makes_each_period_once(
    start: dt.date, every: Interval, gap: int, step: int, count: int | None
) -> None:
    """Running every `step` days or once after `gap` days gives the same periods, each once."""
    schedule = Schedule(start, every, count=count)
    end = start + dt.timedelta(days=gap)
    all_at_once = list(schedule.due_by(end))
    made: list[int] = []
    day = start
    while day <= end:
        made.extend(schedule.due_by(day, after=len(made)))
        day += dt.timedelta(days=step or 1)
    made.extend(schedule.due_by(end, after=len(made)))
    assert made == all_at_once == list(range(len(all_at_once)))
    assert all(schedule.due_date(i) <= end for i in made)
    assert count is None or len(made) <= count
