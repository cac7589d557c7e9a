"""Payments reported by providers' webhooks (issue 21, docs/webhooks.md): each event verified
with the shop's own signing secret, handled once per event id, booked once per payment."""

from invoicer.services.webhooks.events import Outcome, refund_proposals
from invoicer.services.webhooks.onecom import handle_onecom, verify_onecom
from invoicer.services.webhooks.stripe import handle_stripe

__all__ = ["Outcome", "handle_onecom", "handle_stripe", "refund_proposals", "verify_onecom"]
