"""Reminders for overdue invoices, on the shop's cadence (reminder_days, e.g. 7,14,30: a
reminder 7, 14 and 30 days after the due date), each step once.

An invoice overdue by more than several steps (the app was not run for weeks) gets one
reminder, of the latest step it reached; the steps before it are passed over, never sent
late. A step counts as taken once its reminder is sent (or being sent); a failed one is
tried again the next time. One invoice's failure (no address, the server refusing it) is
reported and the others go on; a mail server that cannot be reached stops the run, since
every other invoice would fail the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from invoicer.domain.errors import InvoicerError
from invoicer.services.mail import sent_log, settings_checks, transport
from invoicer.services.mail.sending import deliver

if TYPE_CHECKING:
    from invoicer.services.app import Services

PAGE = 500


@dataclass(frozen=True, slots=True)
class Reminder:
    invoice_id: str
    number: str
    customer: str
    days_overdue: int
    step: int
    outcome: str  # due (a dry run) | sent | failed
    detail: str = ""  # the recipients, or why it failed


def steps(svc: Services) -> tuple[int, ...]:
    text = svc.ctx.require_settings().reminder_days
    return settings_checks.steps("reminder_days", text) if text else ()


def due(svc: Services, today: dt.date | None = None) -> list[tuple[str, int, int]]:
    """(invoice id, days overdue, step) of every overdue invoice whose latest reached step
    has no reminder yet."""
    cadence = steps(svc)
    day = today or svc.today()
    found = []
    offset = 0
    while cadence:
        page = svc.invoices.list(status="overdue", kind="invoice", offset=offset, limit=PAGE)
        for item in page.items:
            if item.due_date is None:
                continue
            late = (day - item.due_date).days
            reached = [step for step in cadence if step <= late]
            if not reached:
                continue
            taken = sent_log.reminder_steps_sent(svc, item.id)
            if any(step >= reached[-1] for step in taken):
                continue
            found.append((item.id, late, reached[-1]))
        offset += PAGE
        if offset >= page.total:
            break
    return found


def remind(svc: Services, *, dry_run: bool = False) -> list[Reminder]:
    """Send the reminders that are due (a dry run: say which, send nothing)."""
    results = []
    for invoice_id, late, step in due(svc):
        invoice = svc.invoices.get(invoice_id)
        number, customer = invoice.number or invoice.id, invoice.buyer.name
        if dry_run:
            results.append(Reminder(invoice_id, number, customer, late, step, "due"))
            continue
        try:
            sent = deliver(
                svc, invoice, kind="reminder", step=step, to=None, attach=None, request_key=""
            )
        except transport.MailNotSent as exc:
            results.append(Reminder(invoice_id, number, customer, late, step, "failed", exc.reason))
            if exc.server_failed:
                break
            continue
        except InvoicerError as exc:  # no address, a document that cannot be made
            results.append(Reminder(invoice_id, number, customer, late, step, "failed", str(exc)))
            continue
        detail = ", ".join(sent.entry.recipients)
        results.append(Reminder(invoice_id, number, customer, late, step, "sent", detail))
    return results
