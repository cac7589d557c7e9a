"""A template's stored row as the domain's schedule and as the view the front-ends get."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.domain.recurrence import Schedule, interval
from invoicer.services.recurring import views
from invoicer.store.recurring_schema import RecurringTemplate


def schedule_of(row: RecurringTemplate) -> Schedule:
    return Schedule(
        row.start_date,
        interval(row.frequency, row.every),
        day_of_month=row.day_of_month,
        count=row.end_after,
        until=row.end_on,
    )


def line_view(line: dict[str, Any]) -> views.TemplateLine:
    return views.TemplateLine(
        product_id=line["product_id"],
        description=line["description"],
        quantity=Decimal(line["quantity"]),
        unit_price=Decimal(line["unit_price"]),
        unit_code=line["unit_code"],
        rate_class=line["rate_class"],
        supply_kind=line["supply_kind"],
        art59_service=bool(line["art59_service"]),
    )


def template_view(
    row: RecurringTemplate, customer_name: str, made: int, next_index: int, runs_here: bool
) -> views.Template:
    return views.Template(
        id=row.id,
        name=row.name,
        customer_id=row.customer_id,
        customer_name=customer_name,
        lines=tuple(line_view(line) for line in row.lines),
        frequency=row.frequency,
        every=row.every,
        day_of_month=row.day_of_month,
        start_date=row.start_date,
        end_after=row.end_after,
        end_on=row.end_on,
        auto_issue=row.auto_issue,
        email=row.email,
        paused=row.paused,
        due_days=row.due_days,
        notes=row.notes,
        device_id=row.device_id,
        runs_here=runs_here,
        made=made,
        next_due=schedule_of(row).next_due(next_index),
    )
