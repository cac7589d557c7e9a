"""Quotes (estimates, issue 22): a table of their own, never `invoices`, so that no VAT
report, revenue figure, day total or trigger that treats an issued invoice row as a supply
ever sees one. A quote's lines and the engine's VAT groups are JSON lists on the row (a quote
is read and written whole; nothing queries its lines), which also makes its event one row.

Numbers come from `number_series` as invoices' do, under their own series key ("quote", or
"quote:B" for a prefixed device), so they never collide with invoice numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, Money, ShopOwned, _keyed, _ref, new_id, utcnow


class Quote(ShopOwned, Base):
    __tablename__ = "quotes"
    __table_args__ = (
        *_keyed("quotes"),
        UniqueConstraint("shop_id", "number"),
        _ref("quotes", "customer_id", "customers"),
        _ref("quotes", "invoice_id", "invoices"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    number: Mapped[str | None] = mapped_column(Text)
    series: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    # draft | sent | accepted | declined; "expired" is derived from valid_until, never stored
    status: Mapped[str] = mapped_column(Text, default="draft")
    customer_id: Mapped[str] = mapped_column(String(36))
    customer_name: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    valid_days: Mapped[int | None] = mapped_column(Integer)  # a draft's choice; default 30
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # position, product_id, description, quantity, unit_price (text), unit_code, rate_class,
    # supply_kind, art59_service, then the engine's net_minor, category, rate, exemption...
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    vat_groups: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    seller: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    buyer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    net_minor: Mapped[int] = mapped_column(Money, default=0)
    vat_minor: Mapped[int] = mapped_column(Money, default=0)
    gross_minor: Mapped[int] = mapped_column(Money, default=0)
    invoice_id: Mapped[str | None] = mapped_column(String(36))  # the draft it became
    converted_positions: Mapped[list[int] | None] = mapped_column(JSON)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_quotes_customer", Quote.customer_id)
