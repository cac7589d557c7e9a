"""The server's tables for getting paid online (issue 21, docs/webhooks.md), in every store
(one schema; a local file keeps them empty):

- `checkout_sessions`: a buyer's hosted checkout, for an issued invoice's balance or for a
  basket of products (whose invoice is issued when the order is placed). The id is the
  unguessable part of the buyer's URL; the row is the server's bookkeeping, not a record the
  shop's devices sync (the invoice, customer and payment it makes are, as their own events);
- `webhook_events`: each provider event id seen per shop, so a replayed, duplicated or
  out-of-order delivery books nothing twice;
- `refund_proposals`: refunds a provider reported, for the merchant to turn into a credit
  note (never booked on their own: a credit note is a legal document the merchant issues).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from invoicer.store.schema import Base, Money, ShopHeld, ShopOwned, _keyed, _ref, new_id, utcnow


class CheckoutSession(ShopOwned, Base):
    __tablename__ = "checkout_sessions"
    __table_args__ = (
        *_keyed("checkout_sessions"),
        _ref("checkout_sessions", "invoice_id", "invoices"),
        _ref("checkout_sessions", "customer_id", "customers"),
    )

    id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(Text)  # invoice | basket
    invoice_id: Mapped[str | None] = mapped_column(String(36))  # a basket's once placed
    customer_id: Mapped[str | None] = mapped_column(String(36))  # a basket's buyer, once placed
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # product_id, quantity
    buyer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(Money)  # what the buyer is asked, when created
    language: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="open")  # open | paid | cancelled
    provider_session: Mapped[str | None] = mapped_column(Text)  # Stripe's cs_... id
    payment_id: Mapped[str | None] = mapped_column(String(36))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(Text)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # When a caller began placing a basket's order (two webhooks may race to it): taken
    # with a conditional update, released on failure, free again once stale.
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WebhookEvent(ShopHeld, Base):
    __tablename__ = "webhook_events"
    __table_args__ = (
        PrimaryKeyConstraint("shop_id", "provider", "event_id", name="pk_webhook_events"),
    )

    provider: Mapped[str] = mapped_column(Text)  # stripe | onecom
    event_id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)  # the event's type
    outcome: Mapped[str] = mapped_column(Text)  # booked | duplicate | ignored | proposed
    payment_id: Mapped[str | None] = mapped_column(String(36))
    message: Mapped[str] = mapped_column(Text, default="")  # what came of it, in words
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RefundProposal(ShopOwned, Base):
    __tablename__ = "refund_proposals"
    __table_args__ = (
        *_keyed("refund_proposals"),
        _ref("refund_proposals", "invoice_id", "invoices"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str] = mapped_column(String(36))
    provider: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str] = mapped_column(Text)  # the provider's refund or charge id
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(Text, default="open")  # open | done | dismissed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


Index("ix_checkout_sessions_invoice", CheckoutSession.invoice_id)
Index("ix_refund_proposals_status", RefundProposal.status)
