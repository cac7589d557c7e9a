"""The catch-up: make every period of every template that came due since the last run,
exactly once per period (docs/recurring.md).

No cron: each front-end runs it when it starts. A period is made in one write transaction
with its run row, unique per (template, period index): the draft, its lines, the issue (when
the template says so) and that row commit together or not at all. A second process that
reaches the same period finds the row (writers queue: BEGIN IMMEDIATE, PostgreSQL's write
lock) or fails on the key, and makes nothing. Months offline make every missed period, once,
each with its own period dates (BT-73/74), issued on the day they are made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invoicer.domain.errors import InvoicerError
from invoicer.services import draft_owner
from invoicer.services.base import Service
from invoicer.services.commands import NewDraft, NewLine
from invoicer.services.invoices import InvoiceService
from invoicer.services.recurring import views
from invoicer.services.recurring.rows import schedule_of
from invoicer.services.recurring.templates import progress
from invoicer.store import audit
from invoicer.store.event_state import row_state
from invoicer.store.recurring_schema import RecurringRun, RecurringTemplate

if TYPE_CHECKING:
    from invoicer.services.app import Services


def made_view(template: RecurringTemplate, run: RecurringRun, number: str | None) -> views.Made:
    return views.Made(
        template_id=template.id,
        template_name=template.name,
        period_index=run.period_index,
        period_start=run.period_start,
        period_end=run.period_end,
        invoice_id=run.invoice_id,
        number=number if run.issued else None,
        issued=run.issued,
        note=run.note,
    )


class _AlreadyMade(Exception):
    """Another process made the period first (its run row is there)."""


class _IssueRefused(Exception):
    """Issuing the period's invoice was refused: the whole period is undone, to be made again
    as a draft."""

    def __init__(self, error: InvoicerError) -> None:
        super().__init__(str(error))
        self.error = error


class CatchUp(Service):
    def run_due(self, today: dt.date | None = None) -> views.RunReport:
        """Make every period due on or before `today` (default: the context's day) of the
        templates this device runs, each once; say what was made and what could not be."""
        today = today or self.today()
        made: list[views.Made] = []
        failed: list[views.Failed] = []
        elsewhere: list[str] = []
        with self._read() as session:
            templates = session.execute(
                select(RecurringTemplate)
                .where(RecurringTemplate.paused.is_(False))
                .order_by(RecurringTemplate.created_at, RecurringTemplate.id)
            ).scalars()
            next_index = {key: value[1] for key, value in progress(session).items()}
            plans = []
            for template in templates:
                due = list(schedule_of(template).due_by(today, next_index.get(template.id, 0)))
                if not due:
                    continue
                if draft_owner.written_here(session, template.device_id, self.ctx.device_id):
                    plans.append((template.id, template.name, due))
                else:
                    elsewhere.append(template.name)
        for template_id, name, due in plans:
            for index in due:
                outcome = self._period(template_id, name, index, today)
                if isinstance(outcome, views.Failed):
                    failed.append(outcome)
                    break  # the later periods would fail the same way: tried next run
                if outcome is not None:
                    made.append(outcome)
        return views.RunReport(tuple(made), tuple(failed), tuple(elsewhere))

    def _period(
        self, template_id: str, name: str, index: int, today: dt.date
    ) -> views.Made | views.Failed | None:
        """Make one period; None when it needs nothing (made already, paused, ended)."""
        try:
            try:
                return self._make(template_id, index, today, issue=None, note="")
            except _IssueRefused as refused:
                # Auto-issue refused (the customer's address missing, VIES unverified...): the
                # period is still made, as a draft to finish by hand, and says why.
                note = f"left as a draft: {refused.error}"
                return self._make(template_id, index, today, issue=False, note=note)
        except _AlreadyMade:
            return None
        except InvoicerError as error:
            start = self._period_start(template_id, index)
            return views.Failed(template_id, name, start, str(error))

    def _period_start(self, template_id: str, index: int) -> dt.date:
        with self._read() as session:
            template = session.get(RecurringTemplate, template_id)
            assert template is not None
            return schedule_of(template).due_date(index)

    def _make(
        self, template_id: str, index: int, today: dt.date, *, issue: bool | None, note: str
    ) -> views.Made | None:
        try:
            with self._write() as session:
                return self._make_in(session, template_id, index, today, issue, note)
        except IntegrityError as error:
            if self._run_exists(template_id, index):
                raise _AlreadyMade from None
            raise InvoicerError(f"The database refused the period ({error.orig}).") from None

    def _run_exists(self, template_id: str, index: int) -> bool:
        with self._read() as session:
            return self._run(session, template_id, index) is not None

    @staticmethod
    def _run(session: Session, template_id: str, index: int) -> str | None:
        return session.execute(
            select(RecurringRun.id).where(
                RecurringRun.template_id == template_id, RecurringRun.period_index == index
            )
        ).scalar()

    def _make_in(
        self,
        session: Session,
        template_id: str,
        index: int,
        today: dt.date,
        issue: bool | None,
        note: str,
    ) -> views.Made | None:
        template = session.get(RecurringTemplate, template_id)
        # Read again inside the write: another process may have made it, paused or ended
        # the template since the plan was read.
        if template is None:
            return None
        if self._run(session, template_id, index) is not None:
            raise _AlreadyMade
        if template.paused:
            return None
        schedule = schedule_of(template)
        if not schedule.in_schedule(index) or schedule.due_date(index) > today:
            return None
        start, end = schedule.period(index)
        invoices = InvoiceService(self.db, self.ctx).joined(session)
        draft = invoices.create_draft(
            NewDraft(
                customer_id=template.customer_id,
                period_start=start,
                period_end=end,
                due_days=template.due_days,
                notes=template.notes,
            )
        )
        for line in template.lines:
            invoices.add_line(
                draft.id,
                NewLine(
                    product_id=line["product_id"],
                    description=line["description"],
                    quantity=Decimal(line["quantity"]),
                    unit_price=Decimal(line["unit_price"]),
                    unit_code=line["unit_code"],
                    rate_class=line["rate_class"],
                    supply_kind=line["supply_kind"],
                    art59_service=bool(line["art59_service"]),
                ),
            )
        number = None
        if template.auto_issue if issue is None else issue:
            try:
                number = invoices.issue(draft.id).number
            except InvoicerError as error:
                raise _IssueRefused(error) from None
        run = RecurringRun(
            template_id=template.id,
            period_index=index,
            period_start=start,
            period_end=end,
            invoice_id=draft.id,
            issued=number is not None,
            note=note,
            made_at=self.now(),
        )
        session.add(run)
        session.flush()  # the unique key, before anything is reported as made
        audit.append(session, "recurring.run", "recurring_run", run.id, {"row": row_state(run)})
        return made_view(template, run, number)


def run_due(svc: Services, today: dt.date | None = None) -> views.RunReport:
    """What every front-end calls when it starts: catch up with the periods due, then e-mail
    the issued invoices of the templates that ask for it (after their periods committed, so
    a mail server that is down never undoes an invoice; each is sent once, by its period)."""
    report = svc.recurring_runs.run_due(today)
    return mail_made(svc, report)


def mail_made(svc: Services, report: views.RunReport) -> views.RunReport:
    from dataclasses import replace

    from invoicer.domain.errors import InvoicerError
    from invoicer.services.mail.sending import send_invoice

    mailed: list[str] = []
    not_mailed: list[tuple[str, str]] = []
    wanted: dict[str, bool] = {}
    for made in report.made:
        if not made.issued or not made.number:
            continue
        if made.template_id not in wanted:
            wanted[made.template_id] = svc.recurring.get(made.template_id).email
        if not wanted[made.template_id]:
            continue
        try:
            send_invoice(
                svc,
                made.invoice_id,
                request_key=f"recurring:{made.template_id}:{made.period_index}",
            )
            mailed.append(made.number)
        except InvoicerError as exc:
            not_mailed.append((made.number, str(exc)))
    if not mailed and not not_mailed:
        return report
    return replace(report, mailed=tuple(mailed), not_mailed=tuple(not_mailed))
