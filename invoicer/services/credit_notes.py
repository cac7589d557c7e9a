"""Credit notes: full or partial, own series, the original's VAT treatment, never over-credit."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, NotFound, Problem, ValidationError
from invoicer.domain.money import currency
from invoicer.domain.parsing import parse_quantity
from invoicer.domain.totals import TaxedLine, compute_totals
from invoicer.domain.vat.model import VatCategory
from invoicer.services import issuing, views
from invoicer.services.base import Service
from invoicer.services.commands import NewCreditNote
from invoicer.services.context import ServiceContext
from invoicer.services.fields import check_text
from invoicer.services.invoices import InvoiceService
from invoicer.services.issue_dates import check_issue_date
from invoicer.store import audit, schema
from invoicer.store.database import Database
from invoicer.store.event_state import invoice_state


class CreditNoteService(Service):
    def __init__(self, db: Database, ctx: ServiceContext, invoices: InvoiceService) -> None:
        super().__init__(db, ctx)
        self.invoices = invoices

    def create(self, invoice_id: str, credit: NewCreditNote) -> views.Invoice:
        """Credit the given line quantities (None: everything not yet credited); issued at once."""
        lines, reason = credit.lines, credit.reason
        with self._write() as session:
            original = self.invoices._load(session, invoice_id)
            if original.issued_at is None or original.kind != "invoice":
                raise Conflict("Only an issued invoice can be credited.")
            remaining = _remaining(session, original)
            wanted = self._wanted(original, remaining, lines)
            shop = session.execute(select(schema.Shop)).scalar()
            assert shop is not None
            today = self.today()
            series, fmt = issuing.device_series(
                session, "credit_note", shop.credit_note_number_format
            )
            check_issue_date(session, "credit_note", today, today, series=series)
            note = schema.Invoice(
                kind="credit_note",
                customer_id=original.customer_id,
                customer_name=original.customer_name,
                currency=original.currency,
                language=original.language,
                issue_date=today,
                supply_date=original.supply_date,
                period_start=original.period_start,
                period_end=original.period_end,
                buyer_reference=original.buyer_reference,
                credited_invoice_id=original.id,
                reason=_reason(reason),
                seller=original.seller,
                buyer=original.buyer,
                requirements=original.requirements,
                exchange_rate=original.exchange_rate,
                due_days=0,
                due_date=today,
            )
            originals = {line.id: line for line in original.lines}
            for position, (line_id, quantity) in enumerate(wanted.items(), start=1):
                source = originals[line_id]
                note.lines.append(
                    schema.InvoiceLine(
                        position=position,
                        product_id=source.product_id,
                        description=source.description,
                        quantity=-quantity,
                        unit_code=source.unit_code,
                        unit_price=source.unit_price,
                        rate_class=source.rate_class,
                        supply_kind=source.supply_kind,
                        art59_service=source.art59_service,
                        category=source.category,
                        rate=source.rate,
                        exemption_code=source.exemption_code,
                        exemption_text=source.exemption_text,
                        tax_country=source.tax_country,
                        credited_line_id=source.id,
                    )
                )
            exhausts = all(
                wanted.get(line_id, Decimal(0)) == left for line_id, left in remaining.items()
            )
            _totals(session, note, original, exhausts)
            note.seq, note.number = issuing.next_number(session, series, today.year, fmt)
            note.series, note.year = series, today.year
            note.eu_b2c_eur_minor = _share(original.eu_b2c_eur_minor, note, original)
            session.add(note)
            session.flush()  # lines and groups first: the triggers freeze them once issued
            note.issued_at = self.now()
            note.updated_at = note.issued_at
            session.flush()  # a trigger adds it to original.credited_minor (migration 0010)
            session.expire(original, ["credited_minor", "settled"])
            audit.append(
                session,
                "credit_note.issue",
                "invoice",
                note.id,
                {**invoice_state(note), "digest": issuing.content_digest(note)},
            )
            return self.invoices._view(session, note)

    def _wanted(
        self,
        original: schema.Invoice,
        remaining: dict[str, Decimal],
        lines: Mapping[str, Decimal | str | int] | None,
    ) -> dict[str, Decimal]:
        if lines is None:
            wanted = {line_id: left for line_id, left in remaining.items() if left > 0}
            if not wanted:
                raise Conflict(f"Invoice {original.number} is already fully credited.")
            return wanted
        problems: list[Problem] = []
        wanted = {}
        for line_id, raw in lines.items():
            field = f"lines.{line_id}"
            if line_id not in remaining:
                raise NotFound(f"Invoice {original.number} has no line {line_id}.")
            try:
                quantity = parse_quantity(
                    raw, field=field, name="Quantity", locale=locale_for(original.language)
                )
            except ValidationError as exc:
                problems.extend(exc.problems)
                continue
            if quantity > remaining[line_id]:
                raise Conflict(
                    f"Line {line_id} of {original.number} has only {remaining[line_id]} left to "
                    f"credit, not {quantity}."
                )
            wanted[line_id] = quantity
        if problems:
            raise ValidationError(problems)
        if not wanted:
            raise ValidationError.single("lines", "empty", "Choose at least one line to credit.")
        return wanted


def _remaining(session: Session, original: schema.Invoice) -> dict[str, Decimal]:
    credited: dict[str, Decimal] = {}
    rows = session.execute(
        select(schema.InvoiceLine.credited_line_id, schema.InvoiceLine.quantity)
        .join(schema.Invoice, schema.Invoice.id == schema.InvoiceLine.invoice_id)
        .where(schema.Invoice.credited_invoice_id == original.id)
    ).all()
    for line_id, quantity in rows:
        if line_id is not None:
            credited[line_id] = credited.get(line_id, Decimal(0)) - quantity
    return {line.id: line.quantity - credited.get(line.id, Decimal(0)) for line in original.lines}


def _totals(
    session: Session, note: schema.Invoice, original: schema.Invoice, exhausts: bool
) -> None:
    cur = currency(note.currency)
    totals = compute_totals(
        [
            TaxedLine(
                l.quantity,
                l.unit_price,
                VatCategory(str(l.category)),
                l.rate,  # type: ignore[arg-type]
                l.exemption_code,
                l.exemption_text,
            )
            for l in note.lines  # noqa: E741
        ],
        cur,
    )
    for line, net in zip(note.lines, totals.line_nets_minor, strict=True):
        line.net_minor = net
    taxes = {(g.category, g.rate, g.exemption_code): g.tax_minor for g in totals.groups}
    if exhausts:
        # The last credit note takes exactly what is left, so all credits sum to the invoice.
        already = dict(
            session.execute(
                select(
                    schema.VatGroupRow.category + "|" + schema.VatGroupRow.rate,
                    func.sum(schema.VatGroupRow.tax_minor),
                )
                .join(schema.Invoice, schema.Invoice.id == schema.VatGroupRow.invoice_id)
                .where(schema.Invoice.credited_invoice_id == original.id)
                .group_by(schema.VatGroupRow.category, schema.VatGroupRow.rate)
            ).all()
        )
        for group in original.vat_groups:
            key = (VatCategory(group.category), group.rate, group.exemption_code)
            if key in taxes:
                credited = already.get(f"{group.category}|{group.rate}", 0)
                taxes[key] = -(group.tax_minor + credited)
    countries = {(l.category, l.rate, l.exemption_code): l.tax_country for l in note.lines}  # noqa: E741
    note.vat_groups = [
        schema.VatGroupRow(
            position=index,
            category=g.category.value,
            rate=g.rate,
            taxable_minor=g.taxable_minor,
            tax_minor=taxes[(g.category, g.rate, g.exemption_code)],
            exemption_code=g.exemption_code,
            exemption_text=g.exemption_text,
            tax_country=countries.get((g.category.value, g.rate, g.exemption_code)),
        )
        for index, g in enumerate(totals.groups)
    ]
    note.net_minor = totals.net_minor
    note.vat_minor = sum(g.tax_minor for g in note.vat_groups)
    note.gross_minor = note.net_minor + note.vat_minor


def _reason(value: str | None) -> str | None:
    text = (value or "").strip().replace("\r\n", "\n")
    problem = check_text(text, "reason", multiline=True)
    if problem is not None:
        raise ValidationError([problem])
    return text or None


def _share(original_eur: int, note: schema.Invoice, original: schema.Invoice) -> int:
    """The credit note's (negative) part of the original's threshold sales."""
    if not original_eur or not original.net_minor:
        return 0
    return -round(original_eur * -note.net_minor / original.net_minor)
