"""Recurring invoices (issue 22, docs/recurring.md), synced to the shop's devices:

- `recurring_templates`: what to bill, to whom and when (a mutable record the shop's devices
  see; `device_id` is the one device that runs and edits it, so two devices never make one
  period twice or edit one template two ways);
- `recurring_runs`: one row per period made, unique per (template, period index). It is
  inserted in the same write transaction as the period's invoice, so a second process that
  tries the same period fails on the key and makes nothing (the numbering guarantee). The
  invoice id is a note, not a reference: deleting a recurring draft leaves the period made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, ShopOwned, _keyed, _ref, new_id, utcnow


class RecurringTemplate(ShopOwned, Base):
    __tablename__ = "recurring_templates"
    __table_args__ = (
        *_keyed("recurring_templates"),
        _ref("recurring_templates", "customer_id", "customers"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    name: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[str] = mapped_column(String(36))
    # [{product_id, description, quantity, unit_price, rate_class, supply_kind, unit_code}],
    # decimals as text: what each period's draft gets.
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    frequency: Mapped[str] = mapped_column(Text)  # weekly | monthly | quarterly | yearly | months
    every: Mapped[int | None] = mapped_column(Integer)  # the N of "every N months"
    day_of_month: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_after: Mapped[int | None] = mapped_column(Integer)  # at most this many invoices
    end_on: Mapped[dt.date | None] = mapped_column(Date)  # no period after this day
    auto_issue: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[bool] = mapped_column(Boolean, default=False)  # sending is the mail helper's
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    due_days: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(Text)  # the device that runs it
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RecurringRun(ShopOwned, Base):
    __tablename__ = "recurring_runs"
    __table_args__ = (
        *_keyed("recurring_runs"),
        UniqueConstraint("shop_id", "template_id", "period_index"),
        _ref("recurring_runs", "template_id", "recurring_templates"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    template_id: Mapped[str] = mapped_column(String(36))
    period_index: Mapped[int] = mapped_column(Integer)  # 0 is the first period
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    invoice_id: Mapped[str] = mapped_column(String(36))
    issued: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")  # why it was left a draft, if it was
    made_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
