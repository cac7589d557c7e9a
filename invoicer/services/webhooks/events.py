"""Each provider event handled once: its id is kept per shop with what came of it, so a
replayed, duplicated or late delivery books nothing twice. Booking itself is idempotent too
(a payment's provider id is unique per method), so two deliveries racing each other still
book one payment; the second one's record is simply refused by the key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import Services
from invoicer.services.checkout.basket import Busy
from invoicer.store.checkout_schema import RefundProposal, WebhookEvent
from invoicer.store.database import Database
from invoicer.store.schema import Tenant
from invoicer.store.tenancy import NO_SHOP


def live_shop(db: Database, shop_id: str) -> bool:
    """Whether a webhook's `?shop=` names a shop of this server that is not suspended."""
    with db.read(shop_id=NO_SHOP) as session:
        found = session.execute(
            select(Tenant.id).where(Tenant.id == shop_id, Tenant.suspended_at.is_(None))
        ).scalar()
    return found is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: str  # booked | duplicate | ignored | proposed | refused
    message: str = ""
    payment_id: str | None = None


def once(
    svc: Services, provider: str, event_id: str, kind: str, run: Callable[[], Outcome]
) -> Outcome:
    """Run `run` unless this event was handled before; keep what came of it. A refusal in
    the merchant's terms (a cancelled checkout, an unknown invoice) is an answer too: the
    provider would only send it again."""
    with svc.read() as session:
        seen = session.execute(
            select(WebhookEvent.outcome).where(
                WebhookEvent.provider == provider, WebhookEvent.event_id == event_id
            )
        ).scalar()
    if seen is not None:
        return Outcome("duplicate", f"Event {event_id} was handled before ({seen}).")
    try:
        result = run()
    except Busy:
        raise  # not an answer: the provider is told to deliver it again
    except InvoicerError as exc:
        result = Outcome("refused", str(exc))
    try:
        with svc.write() as session:
            session.add(
                WebhookEvent(
                    provider=provider,
                    event_id=event_id,
                    kind=kind,
                    outcome=result.outcome,
                    payment_id=result.payment_id,
                    message=result.message[:500],
                    received_at=svc.ctx.stored_now(),
                )
            )
    except IntegrityError:
        return Outcome("duplicate", f"Event {event_id} was handled at the same time.")
    return result


@dataclass(frozen=True, slots=True)
class Proposal:
    id: str
    invoice_id: str
    provider: str
    external_id: str
    amount_minor: int
    currency: str
    status: str


def propose_refund(
    svc: Services, invoice_id: str, provider: str, external_id: str, amount_minor: int, code: str
) -> Outcome:
    """A refund the provider made, kept for the merchant to credit (never booked alone: a
    credit note is the merchant's document). Refunds of a charge add up: the latest total."""
    with svc.write() as session:
        row = session.execute(
            select(RefundProposal).where(
                RefundProposal.provider == provider, RefundProposal.external_id == external_id
            )
        ).scalar()
        if row is None:
            row = RefundProposal(
                invoice_id=invoice_id,
                provider=provider,
                external_id=external_id,
                amount_minor=amount_minor,
                currency=code,
                status="open",
                created_at=svc.ctx.stored_now(),
            )
            session.add(row)
        else:
            row.amount_minor = max(row.amount_minor, amount_minor)
        session.flush()
        return Outcome("proposed", f"A refund of {amount_minor} {code} minor units to credit.")


def refund_proposals(svc: Services, status: str | None = "open") -> list[Proposal]:
    query = select(RefundProposal).order_by(RefundProposal.created_at)
    if status is not None:
        query = query.where(RefundProposal.status == status)
    with svc.read() as session:
        return [
            Proposal(
                r.id, r.invoice_id, r.provider, r.external_id, r.amount_minor, r.currency, r.status
            )
            for r in session.execute(query).scalars()
        ]
