"""Recurring templates: set up, change, pause and resume, list (docs/recurring.md).

A template runs on one device, the one that made it (`device_id`): only there is it changed,
paused or run, so two devices can never bill one period twice or edit one template two
ways. Its events carry the whole row (store/replay.py ROW_ENTITIES), so every device sees it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, NotFound, Problem, ValidationError
from invoicer.domain.recurrence import FREQUENCIES, MAX_COUNT, MAX_PERIODS
from invoicer.services import draft_owner
from invoicer.services.base import Service
from invoicer.services.commands import NewLine, NewRecurring, RecurringChanges
from invoicer.services.fields import Fields
from invoicer.services.invoices import InvoiceService
from invoicer.services.recurring import views
from invoicer.services.recurring.rows import schedule_of, template_view
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state
from invoicer.store.recurring_schema import RecurringRun, RecurringTemplate

FIELDS = (*RecurringChanges.model_fields, "customer_id")
SCHEDULE = ("frequency", "every", "day_of_month", "start_date")  # fixed once a period is made
MAX_LINES = 100
Lines = list[dict[str, Any]]  # (a name: the service's `list` method hides the builtin)


def log(session: Session, action: str, row: RecurringTemplate) -> None:
    session.flush()
    audit.append(session, action, "recurring_template", row.id, {"row": row_state(row)})


def progress(session: Session, template_id: str | None = None) -> dict[str, tuple[int, int]]:
    """Per template: periods made and the index of the next one."""
    query = select(
        RecurringRun.template_id, func.count(), func.max(RecurringRun.period_index)
    ).group_by(RecurringRun.template_id)
    if template_id is not None:
        query = query.where(RecurringRun.template_id == template_id)
    return {row[0]: (int(row[1]), int(row[2]) + 1) for row in session.execute(query)}


class RecurringService(Service):
    # --- reading ----------------------------------------------------------------------

    def get(self, template_id: str) -> views.Template:
        with self._read() as session:
            return self._view(session, self._row(session, template_id))

    def list(self) -> tuple[views.Template, ...]:
        with self._read() as session:
            rows = session.execute(
                select(RecurringTemplate).order_by(
                    func.lower(RecurringTemplate.name), RecurringTemplate.id
                )
            ).scalars()
            made = progress(session)
            return tuple(self._view(session, row, made.get(row.id, (0, 0))) for row in rows)

    def runs(self, template_id: str) -> tuple[views.Made, ...]:
        """The periods made so far, oldest first, with their invoices' numbers."""
        from invoicer.services.recurring.catch_up import made_view

        with self._read() as session:
            template = self._row(session, template_id)
            rows = session.execute(
                select(RecurringRun, schema.Invoice.number)
                .outerjoin(schema.Invoice, schema.Invoice.id == RecurringRun.invoice_id)
                .where(RecurringRun.template_id == template.id)
                .order_by(RecurringRun.period_index)
            ).all()
            return tuple(made_view(template, run, number) for run, number in rows)

    # --- writing ----------------------------------------------------------------------

    def create(self, new: NewRecurring) -> views.Template:
        data = new.given()
        with self._write() as session:
            customer = self._customer(session, data.get("customer_id"))
            clean = self._check(session, data, customer)
            row = RecurringTemplate(
                **clean,
                customer_id=customer.id,
                device_id=audit.writer_of(session).device_id,
            )
            session.add(row)
            log(session, "recurring.create", row)
            return self._view(session, row)

    def update(self, template_id: str, changes: RecurringChanges) -> views.Template:
        """Change a template; the invoices already made stay as they are."""
        data = changes.given()
        with self._write() as session:
            row = self._mine(session, template_id)
            made, _ = progress(session, row.id).get(row.id, (0, 0))
            current = {name: getattr(row, name) for name in SCHEDULE} | {
                "name": row.name,
                "end_after": row.end_after,
                "end_on": row.end_on,
                "auto_issue": row.auto_issue,
                "email": row.email,
                "due_days": row.due_days,
                "notes": row.notes,
            }
            customer = session.get(schema.Customer, row.customer_id)
            assert customer is not None  # a foreign key
            clean = self._check(session, current | data, customer, keep_lines=row.lines)
            if made:
                fixed = [name for name in SCHEDULE if clean[name] != getattr(row, name)]
                if fixed:
                    raise ValidationError(
                        Problem(
                            name,
                            "fixed",
                            f"{made} invoice{'s' if made != 1 else ''} already made from this "
                            "schedule: its frequency, day and start stay as they are. End this "
                            "template (an end date) and set up a new one for a new schedule.",
                        )
                        for name in fixed
                    )
            if clean["end_after"] is not None and clean["end_after"] < made:
                raise ValidationError.single(
                    "end_after",
                    "below_made",
                    f"{made} invoices were already made: the end cannot come before them.",
                )
            for name, value in clean.items():
                setattr(row, name, value)
            row.updated_at = self.now()
            log(session, "recurring.update", row)
            return self._view(session, row)

    def pause(self, template_id: str) -> views.Template:
        """Make nothing from it until resumed (periods due meanwhile are made on resume)."""
        return self._set_paused(template_id, True)

    def resume(self, template_id: str) -> views.Template:
        return self._set_paused(template_id, False)

    def _set_paused(self, template_id: str, paused: bool) -> views.Template:
        with self._write() as session:
            row = self._mine(session, template_id)
            if row.paused != paused:
                row.paused = paused
                row.updated_at = self.now()
                log(session, "recurring.pause" if paused else "recurring.resume", row)
            return self._view(session, row)

    # --- helpers ----------------------------------------------------------------------

    def _row(self, session: Session, template_id: str) -> RecurringTemplate:
        row = session.get(RecurringTemplate, template_id) if template_id else None
        if row is None:
            raise NotFound(f"There is no recurring template with id {template_id}.")
        return row

    def _mine(self, session: Session, template_id: str) -> RecurringTemplate:
        row = self._row(session, template_id)
        if not draft_owner.written_here(session, row.device_id):
            code = draft_owner.device_code(session, row.device_id)
            raise Conflict(
                f"Recurring template {row.name} runs on device {code}, and only that device "
                "can change, pause or run it (so that no period is ever billed twice)."
            )
        return row

    def _customer(self, session: Session, customer_id: Any) -> schema.Customer:
        if not customer_id or not isinstance(customer_id, str):
            raise ValidationError.single("customer_id", "required", "Customer id is required.")
        customer = session.get(schema.Customer, customer_id)
        if customer is None:
            raise NotFound(f"There is no customer with id {customer_id}.")
        if customer.archived:
            raise Conflict(f"Customer {customer.name} is archived.")
        return customer

    def _view(
        self, session: Session, row: RecurringTemplate, made: tuple[int, int] | None = None
    ) -> views.Template:
        count, next_index = (
            made if made is not None else progress(session, row.id).get(row.id, (0, 0))
        )
        customer = session.get(schema.Customer, row.customer_id)
        return template_view(
            row,
            customer.name if customer else "",
            count,
            next_index,
            draft_owner.written_here(session, row.device_id, self.ctx.device_id),
        )

    def _check(
        self,
        session: Session,
        data: dict[str, Any],
        customer: schema.Customer,
        keep_lines: Lines | None = None,
    ) -> dict[str, Any]:
        shop_language = session.execute(select(schema.Shop.language)).scalar()
        locale = locale_for(customer.language or shop_language)
        fields = Fields(data, FIELDS, locale=locale)
        frequency = fields.choice("frequency", [*FREQUENCIES, "months"])
        clean: dict[str, Any] = {
            "name": fields.text("name", max_len=200),
            "frequency": frequency,
            "every": fields.integer("every", minimum=1, maximum=MAX_COUNT),
            "day_of_month": fields.integer("day_of_month", minimum=1, maximum=31),
            "start_date": fields.date("start_date"),
            "end_after": fields.integer("end_after", minimum=1, maximum=MAX_PERIODS),
            "end_on": fields.date("end_on"),
            "auto_issue": bool(fields.boolean("auto_issue")),
            "email": bool(fields.boolean("email")),
            "due_days": fields.integer("due_days", maximum=365),
            "notes": fields.text("notes", max_len=4000, multiline=True),
        }
        for name in ("frequency", "start_date"):
            if clean[name] is None and not any(p.field == name for p in fields.problems):
                fields.add(name, "required", f"{name.replace('_', ' ').capitalize()} is required.")
        if "lines" in data and data["lines"] is not None:
            clean["lines"] = self._lines(session, data["lines"], locale, fields)
        elif keep_lines is not None:
            clean["lines"] = keep_lines
        else:
            fields.add("lines", "required", "A recurring invoice needs at least one line.")
        if not fields.problems:
            self._check_schedule(clean, fields)
        fields.done()
        if not clean["name"]:
            clean["name"] = f"{customer.name}, {clean['frequency']}"
        return clean

    @staticmethod
    def _check_schedule(clean: dict[str, Any], fields: Fields) -> None:
        try:
            schedule_of(RecurringTemplate(**{k: v for k, v in clean.items() if k != "lines"}))
        except ValidationError as error:
            fields.problems.extend(error.problems)

    def _lines(self, session: Session, lines: Any, locale: str, fields: Fields) -> Lines:
        if not isinstance(lines, list | tuple) or not 1 <= len(lines) <= MAX_LINES:
            fields.add("lines", "count", f"A recurring invoice needs 1 to {MAX_LINES} lines.")
            return []
        invoices = InvoiceService(self.db, self.ctx)
        checked = []
        for index, line in enumerate(lines):
            given = line.given() if isinstance(line, NewLine) else dict(line)
            try:
                row = invoices.check_line(session, given, locale)
            except ValidationError as error:
                fields.problems.extend(
                    Problem(f"lines[{index}].{p.field}", p.code, p.message) for p in error.problems
                )
                continue
            except NotFound as error:
                fields.add(f"lines[{index}].product_id", "not_found", str(error))
                continue
            checked.append(
                {
                    "product_id": row.product_id,
                    "description": row.description,
                    "quantity": format(Decimal(row.quantity), "f"),
                    "unit_price": format(Decimal(row.unit_price), "f"),
                    "unit_code": row.unit_code,
                    "rate_class": row.rate_class,
                    "supply_kind": row.supply_kind,
                    "art59_service": bool(row.art59_service),
                }
            )
        return checked
