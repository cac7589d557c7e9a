"""Recurring invoice templates: what to bill, to whom and when (docs/recurring.md)."""

from __future__ import annotations

from pydantic import Field

from invoicer.services.commands.base import Command, Day, Flag, Text, Whole
from invoicer.services.commands.invoices import NewLine


class RecurringChanges(Command):
    """Fields of a recurring template to change; fields not given keep their values. What is
    changed applies to the invoices made from now on, never to those already made."""

    name: Text = Field(None, description="A name for the template, at most 200 characters.")
    lines: list[NewLine] | None = Field(
        None, description="The lines every invoice gets (1 to 100), replacing all of them."
    )
    frequency: Text = Field(
        None,
        description="weekly, monthly, quarterly, yearly, or months (every N months, with "
        "`every`). Fixed once an invoice was made.",
    )
    every: Whole = Field(None, description="For `months`: every how many months (1 to 120).")
    day_of_month: Whole = Field(
        None,
        description="Day of the month (1 to 31; the 31st is the last day of shorter months); "
        "default the start's day. Not for weekly.",
    )
    start_date: Day = Field(
        None, description="The first period's day. Fixed once an invoice was made."
    )
    end_after: Whole = Field(None, description="End after this many invoices (blank: never).")
    end_on: Day = Field(None, description="No period after this day (blank: never).")
    auto_issue: Flag = Field(
        None, description="Issue each invoice when it is made (default: leave a draft)."
    )
    email: Flag = Field(None, description="E-mail each issued invoice to the customer.")
    due_days: Whole = Field(
        None, description="Days until due (0 to 365); default the customer's or shop's terms."
    )
    notes: Text = Field(None, description="Notes printed on every invoice.")


class NewRecurring(RecurringChanges):
    """A recurring template for a customer."""

    required = ("customer_id", "lines", "frequency", "start_date")

    customer_id: Text = Field(None, description="Id of the customer the invoices are for.")
