"""Invoices: drafts without a number, lines, the engine's preview, issuing, lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, bindparam, case, func, or_, select, text
from sqlalchemy.orm import Session, selectinload

from invoicer.domain import limits
from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, InvoicerError, NotFound, ValidationError
from invoicer.domain.money import currency
from invoicer.domain.totals import net_total_minor
from invoicer.domain.vat.engine import quote
from invoicer.domain.vat.model import Quote
from invoicer.services import draft_owner, issue_rows, issuing, mapping, views
from invoicer.services.base import Service, check_paging
from invoicer.services.commands import DraftChanges, LineChanges, NewDraft, NewLine
from invoicer.services.fields import Fields
from invoicer.services.issue_dates import check_issue_date
from invoicer.services.status import STATUS_WHERE
from invoicer.store import audit, schema
from invoicer.store.event_state import invoice_state

DRAFT_FIELDS = tuple(DraftChanges.model_fields)
LINE_FIELDS = tuple(LineChanges.model_fields)
# A caller's condition on the invoice as it is (the server's If-Match), checked in the
# edit's own write transaction so that no other write comes between; it raises to refuse.
Precondition = Callable[[views.Invoice], None] | None
STATUSES = ("draft", "open", "partially_paid", "paid", "overdue", "credited", "issued")


COUNT_CAP = 10_000
# lists count at most this many matches; Page.total_capped says so


def status_filter(status: str, today: dt.date, dialect: str = "sqlite") -> Any:
    """The WHERE clause of one derived status (the same rules as mapping.status)."""
    clause = STATUS_WHERE[status]
    if dialect != "sqlite":  # SQLite's index hint, a unary plus, is no operator on a date
        clause = clause.replace("+due_date", "due_date")
    if ":today" not in clause:
        return text(clause)
    return text(clause).bindparams(bindparam("today", today, type_=Date))


def status_expression(today: dt.date) -> Any:
    """mapping.status() in SQL, for filtering lists without loading rows."""
    inv = schema.Invoice
    return case(
        (inv.issued_at.is_(None), "draft"),
        (inv.kind == "credit_note", "issued"),
        ((inv.gross_minor != 0) & (inv.credited_minor >= inv.gross_minor), "credited"),
        (inv.paid_minor + inv.credited_minor >= inv.gross_minor, "paid"),
        (inv.due_date < today, "overdue"),
        (inv.paid_minor > 0, "partially_paid"),
        else_="open",
    )


class InvoiceService(Service):
    # From the context's settings (the safe defaults when the settings file is unreadable).
    @property
    def vies_policy(self) -> str:
        return self.ctx.settings.vies_policy

    @property
    def vies_max_age_days(self) -> int:
        return self.ctx.settings.vies_max_age_days

    @property
    def max_future_issue_days(self) -> int:
        return self.ctx.settings.max_future_issue_days

    # --- drafts -----------------------------------------------------------------------

    def create_draft(self, draft: NewDraft) -> views.Invoice:
        data = draft.given()
        customer_id = data.pop("customer_id", None)
        if not customer_id or not isinstance(customer_id, str):
            raise ValidationError.single("customer_id", "required", "Customer id is required.")
        with self._write() as session:
            customer = session.get(schema.Customer, customer_id)
            if customer is None:
                raise NotFound(f"There is no customer with id {customer_id}.")
            if customer.archived:
                raise Conflict(f"Customer {customer.name} is archived.")
            shop = session.execute(select(schema.Shop)).scalar()
            if shop is None:
                raise Conflict("Set up the shop profile first (invoicer init).")
            language = data.get("language") or customer.language or shop.language
            clean = self._check_draft(data, locale_for(language))
            invoice = schema.Invoice(
                kind="invoice",
                customer_id=customer.id,
                customer_name=customer.name,
                currency=clean.pop("currency") or customer.currency or shop.currency,
                language=clean.pop("language") or customer.language or shop.language,
                **clean,
            )
            session.add(invoice)
            session.flush()
            audit.append(
                session, "invoice.create_draft", "invoice", invoice.id, invoice_state(invoice)
            )
            return self._view(session, invoice)

    def update_draft(
        self, invoice_id: str, changes: DraftChanges, *, precondition: Precondition = None
    ) -> views.Invoice:
        data = changes.given()
        with self._write() as session:
            invoice = self._draft(session, invoice_id, precondition)
            clean = self._check_draft(data, locale_for(data.get("language") or invoice.language))
            for key in data:
                setattr(invoice, key, clean[key])
            self._estimate_totals(session, invoice)  # the date or currency can change the VAT
            invoice.updated_at = self.now()
            session.flush()  # the new VAT groups' ids, for the event
            audit.append(
                session, "invoice.update_draft", "invoice", invoice.id, invoice_state(invoice)
            )
            return self._view(session, invoice)

    def add_line(
        self, invoice_id: str, new_line: NewLine, *, precondition: Precondition = None
    ) -> views.Invoice:
        with self._write() as session:
            invoice = self._draft(session, invoice_id, precondition)
            line = self._check_line(session, new_line.given(), locale_for(invoice.language))
            line.position = max((l.position for l in invoice.lines), default=0) + 1  # noqa: E741
            invoice.lines.append(line)
            self._estimate_totals(session, invoice, strict=True)
            session.flush()
            audit.append(session, "invoice.add_line", "invoice", invoice.id, invoice_state(invoice))
            return self._view(session, invoice)

    def update_line(
        self,
        invoice_id: str,
        line_id: str,
        changes: LineChanges,
        *,
        precondition: Precondition = None,
    ) -> views.Invoice:
        """Change fields of a draft's line in place (it keeps its id and position); the fields
        not given keep their values. Checked like add_line: a bad value changes nothing."""
        with self._write() as session:
            invoice = self._draft(session, invoice_id, precondition)
            line = next((l for l in invoice.lines if l.id == line_id), None)  # noqa: E741
            if line is None:
                raise NotFound(f"Invoice {invoice_id} has no line {line_id}.")
            current = {name: getattr(line, name) for name in LINE_FIELDS}
            merged = current | changes.given()
            checked = self._check_line(session, merged, locale_for(invoice.language))
            for name in LINE_FIELDS:
                setattr(line, name, getattr(checked, name))
            self._estimate_totals(session, invoice, strict=True)
            session.flush()
            audit.append(
                session, "invoice.update_line", "invoice", invoice.id, invoice_state(invoice)
            )
            return self._view(session, invoice)

    def remove_line(
        self, invoice_id: str, line_id: str, *, precondition: Precondition = None
    ) -> views.Invoice:
        with self._write() as session:
            invoice = self._draft(session, invoice_id, precondition)
            line = next((l for l in invoice.lines if l.id == line_id), None)  # noqa: E741
            if line is None:
                raise NotFound(f"Invoice {invoice_id} has no line {line_id}.")
            invoice.lines.remove(line)
            self._estimate_totals(session, invoice)
            session.flush()
            audit.append(
                session, "invoice.remove_line", "invoice", invoice.id, invoice_state(invoice)
            )
            return self._view(session, invoice)

    def delete_draft(self, invoice_id: str, *, precondition: Precondition = None) -> None:
        with self._write() as session:
            invoice = self._draft(session, invoice_id, precondition)
            session.delete(invoice)
            audit.append(session, "invoice.delete_draft", "invoice", invoice_id, {"id": invoice_id})

    # --- the VAT decision -------------------------------------------------------------

    def preview(self, invoice_id: str) -> views.Invoice:
        """The draft with the engine's VAT and totals, as issuing would decide them today."""
        with self._read() as session:
            invoice = self._load(session, invoice_id)
            if invoice.issued_at is not None or not invoice.lines:
                return self._view(session, invoice)
            result = self._quote_draft(session, invoice)
            issuing.apply_quote(session, invoice, result)
            view = self._view(session, invoice, requirements=issuing.requirements_json(result))
            session.rollback()  # a preview stores nothing
            return view

    def issue(
        self,
        invoice_id: str,
        *,
        vies_policy: str | None = None,
        precondition: Precondition = None,
    ) -> views.Invoice:
        # The hot path: Core reads and writes (services/issue_rows.py), no ORM flush.
        with self._write() as session:
            if precondition is not None:  # off the hot path: only a caller that asks
                precondition(self._view(session, self._load(session, invoice_id)))
            draft = issue_rows.load_draft(session, invoice_id)
            if draft is None:
                raise NotFound(f"There is no invoice {invoice_id}.")
            invoice = draft.invoice
            issuing.check_issuable(invoice)
            draft_owner.check_owner(session, invoice.id)
            shop, customer = issue_rows.load_parties(session, invoice.customer_id)
            if shop is None:
                raise Conflict("Set up the shop profile first (invoicer init).")
            assert customer is not None  # a foreign key
            issuing.check_buyer_address(customer)
            today = self.today()
            issue_date = invoice.issue_date or today
            series, fmt = issuing.device_series(session, "invoice", shop.invoice_number_format)
            check_issue_date(
                session, "invoice", issue_date, today, self.max_future_issue_days, series=series
            )
            supply_date = issuing.supply_date_of(invoice, issue_date)
            request = issuing.build_request(
                session, invoice, shop, customer, supply_date, today, self.vies_max_age_days
            )
            result = quote(request)
            issuing.refuse_unverified(
                result, vies_policy or self.vies_policy, self.vies_max_age_days
            )
            invoice.seq, invoice.number = issuing.next_number(session, series, issue_date.year, fmt)
            invoice.series, invoice.year = series, issue_date.year
            invoice.issue_date, invoice.supply_date = issue_date, supply_date
            due_days = invoice.due_days
            if due_days is None:
                due_days = customer.payment_terms_days
            if due_days is None:
                due_days = shop.payment_terms_days
            invoice.due_days = due_days
            invoice.due_date = issue_date + dt.timedelta(days=due_days)
            invoice.seller = issuing.seller_snapshot(shop)
            invoice.buyer = issuing.buyer_snapshot(customer)
            invoice.requirements = issuing.requirements_json(result)
            invoice.eu_b2c_eur_minor = issuing.cross_border_b2c_eur_minor(
                request, result, shop.currency
            )
            issuing.apply_quote(session, invoice, result)
            invoice.issued_at = self.now()
            invoice.updated_at = invoice.issued_at
            issue_rows.write_back(session, draft)  # lines and groups before the issued row
            audit.append(
                session,
                "invoice.issue",
                "invoice",
                invoice.id,
                {**invoice_state(invoice), "digest": issuing.content_digest(invoice)},
            )
            return self._view(session, invoice)

    def set_pdf_sha256(self, invoice_id: str, sha256: str) -> None:
        """Record the issued PDF's hash, once."""
        with self._write() as session:
            invoice = self._load(session, invoice_id)
            if invoice.issued_at is None:
                raise Conflict("Only an issued invoice has a PDF to record.")
            if invoice.pdf_sha256 == sha256:
                return
            if invoice.pdf_sha256 is not None:
                raise Conflict(f"Invoice {invoice.number} already has a different PDF recorded.")
            invoice.pdf_sha256 = sha256
            audit.append(
                session,
                "invoice.pdf",
                "invoice",
                invoice.id,
                {"id": invoice.id, "pdf_sha256": sha256},
            )

    def record_first_pdf_hashes(self, hashes: dict[str, str]) -> int:
        """A batch's `set_pdf_sha256` in one transaction: each issued invoice that has no
        hash yet gets its own; one that already has one keeps it. Returns how many were set."""
        ids = sorted(hashes)
        events = []
        with self._write() as session:
            for start in range(0, len(ids), 500):  # stays under SQLite's variable limit
                query = select(schema.Invoice).where(
                    schema.Invoice.id.in_(ids[start : start + 500]),
                    schema.Invoice.issued_at.is_not(None),
                    schema.Invoice.pdf_sha256.is_(None),
                )
                for invoice in session.execute(query.order_by(schema.Invoice.id)).scalars():
                    invoice.pdf_sha256 = hashes[invoice.id]
                    state = {"id": invoice.id, "pdf_sha256": invoice.pdf_sha256}
                    events.append(("invoice.pdf", "invoice", invoice.id, state))
            audit.append_many(session, events)
        return len(events)

    # --- reading ----------------------------------------------------------------------

    def get(self, invoice_id: str) -> views.Invoice:
        """By id or by number."""
        with self._read() as session:
            return self._view(session, self._load(session, invoice_id))

    def list(
        self,
        status: str | None = None,
        customer_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        search: str | None = None,
        kind: str | None = None,
        offset: int = 0,
        limit: int = 50,
        order: str = "date_desc",
    ) -> views.Page[views.InvoiceSummary]:
        offset, limit = check_paging(offset, limit)
        if status is not None and status not in STATUSES:
            raise ValidationError.single(
                "status", "unknown_value", f"Status must be one of {', '.join(STATUSES)}."
            )
        today = self.today()
        inv = schema.Invoice
        cols = (
            inv.id,
            inv.kind,
            inv.number,
            inv.issue_date,
            inv.due_date,
            inv.customer_id,
            inv.customer_name,
            inv.currency,
            inv.net_minor,
            inv.vat_minor,
            inv.gross_minor,
            inv.paid_minor,
            inv.credited_minor,
            inv.issued_at,
        )
        query = select(*cols)
        if status is not None:
            query = query.where(status_filter(status, today, self.db.dialect))

        if customer_id:
            query = query.where(inv.customer_id == customer_id)
        if kind:
            query = query.where(inv.kind == kind)
        if date_from:
            query = query.where(inv.issue_date >= date_from)
        if date_to:
            query = query.where(inv.issue_date <= date_to)
        if search and search.strip():
            query = query.where(
                or_(_prefix(inv.number, search), _prefix(inv.customer_name, search))
            )
        ordering = {
            "date_desc": (inv.issue_date.desc(), inv.id.desc()),
            "date_asc": (inv.issue_date.asc(), inv.id.asc()),
            "number_desc": (inv.number.desc(),),
            "number_asc": (inv.number.asc(),),
        }.get(order)
        if ordering is None:
            raise ValidationError.single("order", "unknown_value", f"Unknown sort order {order!r}.")
        with self._read() as session:
            rows = session.execute(query.order_by(*ordering).offset(offset).limit(limit)).all()
            capped = query.with_only_columns(inv.id).limit(COUNT_CAP + 1).subquery()
            total = int(session.execute(select(func.count()).select_from(capped)).scalar() or 0)
        items = tuple(mapping.summary(row, today) for row in rows)
        return views.Page(items, min(total, COUNT_CAP), offset, limit, total > COUNT_CAP)

    # --- helpers ----------------------------------------------------------------------

    def _load(self, session: Session, invoice_id: str) -> schema.Invoice:
        query = select(schema.Invoice).options(
            selectinload(schema.Invoice.lines), selectinload(schema.Invoice.vat_groups)
        )
        invoice = session.execute(query.where(schema.Invoice.id == invoice_id)).scalar()
        if invoice is None:
            invoice = session.execute(query.where(schema.Invoice.number == invoice_id)).scalar()
        if invoice is None:
            raise NotFound(f"There is no invoice {invoice_id}.")
        return invoice

    def _draft(
        self, session: Session, invoice_id: str, precondition: Precondition = None
    ) -> schema.Invoice:
        invoice = self._load(session, invoice_id)
        if precondition is not None:
            precondition(self._view(session, invoice))
        if invoice.issued_at is not None:
            raise Conflict(
                f"{invoice.number} is issued and can no longer be changed; "
                "correct it with a credit note."
            )
        draft_owner.check_owner(session, invoice.id)
        return invoice

    def _quote_draft(self, session: Session, invoice: schema.Invoice) -> Quote:
        """The engine's decision for a draft as if it were issued today."""
        shop, customer = self._parties(session, invoice)
        today = self.today()
        issue_date = invoice.issue_date or today
        request = issuing.build_request(
            session,
            invoice,
            shop,
            customer,
            issuing.supply_date_of(invoice, issue_date),
            today,
            self.vies_max_age_days,
        )
        return quote(request)

    def _estimate_totals(
        self, session: Session, invoice: schema.Invoice, *, strict: bool = False
    ) -> None:
        """Keep a draft's stored totals at what issuing would decide today, so lists, search
        and the editor's list entry show them. Issuing decides again, on its own day.

        `strict` (adding or changing a line): amounts past the limits of domain.limits are
        refused, whether or not the VAT can be decided yet. Otherwise (removing a line,
        editing the draft) a draft that already holds such amounts keeps no figures, so it
        can still be shown, corrected and deleted."""
        if strict:
            pairs = [(line.quantity, line.unit_price) for line in invoice.lines]
            net_total_minor(pairs, currency(invoice.currency))
        if invoice.lines:
            try:
                issuing.apply_quote(session, invoice, self._quote_draft(session, invoice))
                return
            except ValidationError as exc:
                if strict and any(p.code == "too_large" for p in exc.problems):
                    raise
            except InvoicerError:
                pass  # not decidable yet (no shop profile): no figures rather than wrong ones
        invoice.vat_groups = []
        invoice.net_minor = invoice.vat_minor = invoice.gross_minor = 0

    def _parties(
        self, session: Session, invoice: schema.Invoice
    ) -> tuple[schema.Shop, schema.Customer]:
        shop = session.execute(select(schema.Shop)).scalar()
        if shop is None:
            raise Conflict("Set up the shop profile first (invoicer init).")
        customer = session.get(schema.Customer, invoice.customer_id)
        assert customer is not None  # a foreign key
        return shop, customer

    def _check_draft(self, data: dict[str, Any], locale: str) -> dict[str, Any]:
        fields = Fields(data, DRAFT_FIELDS, locale=locale)
        clean: dict[str, Any] = {
            "currency": fields.currency("currency"),
            "language": fields.language("language"),
            "issue_date": fields.date("issue_date"),
            "supply_date": fields.date("supply_date"),
            "period_start": fields.date("period_start"),
            "period_end": fields.date("period_end"),
            "due_days": fields.integer("due_days", maximum=365),
            "buyer_reference": fields.text("buyer_reference", max_len=200),
            "notes": fields.text("notes", max_len=4000, multiline=True),
            "exchange_rate": fields.within(
                "exchange_rate",
                fields.decimal("exchange_rate", allow_negative=False, allow_zero=False),
                limits.check_exchange_rate,
            ),
        }
        start, end = clean["period_start"], clean["period_end"]
        if start and end and start > end:
            fields.add("period_end", "before_start", "The period ends before it starts.")
        fields.done()
        return clean

    def check_line(self, session: Session, data: dict[str, Any], locale: str) -> schema.InvoiceLine:
        """A line as add_line would make it (recurring templates keep lines checked so)."""
        return self._check_line(session, data, locale)

    def _check_line(
        self, session: Session, data: dict[str, Any], locale: str
    ) -> schema.InvoiceLine:
        fields = Fields(data, LINE_FIELDS, locale=locale)
        product = None
        product_id = data.get("product_id")
        if product_id:
            product = session.get(schema.Product, product_id)
            if product is None:
                raise NotFound(f"There is no product with id {product_id}.")
        quantity = fields.quantity("quantity")
        price = fields.within(
            "unit_price",
            fields.decimal(
                "unit_price", required=product is None, max_places=6, blank_is_unset=False
            ),
            limits.check_unit_price,
        )
        description = fields.text("description", required=product is None, max_len=1000)
        line = schema.InvoiceLine(
            product_id=product.id if product else None,
            description=description or (product.name if product else ""),
            quantity=quantity if quantity is not None else Decimal(1),
            unit_price=price if price is not None else (product.unit_price if product else 0),
            unit_code=fields.unit_code("unit_code") or (product.unit_code if product else "C62"),
            rate_class=fields.rate_class("rate_class")
            or (product.rate_class if product else "standard"),
            supply_kind=fields.supply_kind("supply_kind")
            or (product.supply_kind if product else "goods"),
            art59_service=bool(
                fields.boolean("art59_service") or (product.art59_service if product else False)
            ),
        )
        fields.done()
        return line

    def _view(
        self,
        session: Session,
        invoice: schema.Invoice,
        requirements: dict[str, Any] | None = None,
    ) -> views.Invoice:
        code = invoice.currency
        today = self.today()
        original = (
            session.get(schema.Invoice, invoice.credited_invoice_id)
            if invoice.credited_invoice_id
            else None
        )
        reqs = requirements if requirements is not None else dict(invoice.requirements or {})
        paid, credited = invoice.paid_minor, invoice.credited_minor
        balance = invoice.gross_minor - paid - credited if invoice.kind == "invoice" else 0
        if invoice.issued_at is None and requirements is None:
            balance = invoice.gross_minor
        warnings: tuple[str, ...] = ()
        if reqs.get("unverified_buyer_vat_number"):
            warnings = ("The buyer's VAT number has no recent valid VIES check.",)
        fallback_seller = ""
        return views.Invoice(
            id=invoice.id,
            kind=invoice.kind,
            number=invoice.number,
            status=mapping.status(invoice, today),
            issue_date=invoice.issue_date,
            supply_date=invoice.supply_date,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            due_days=invoice.due_days,
            due_date=invoice.due_date,
            currency=code,
            language=invoice.language,
            customer_id=invoice.customer_id,
            customer_name=invoice.customer_name,
            seller=mapping.party(invoice.seller, fallback_seller),
            buyer=mapping.party(invoice.buyer, invoice.customer_name),
            lines=tuple(mapping.line(l, code) for l in invoice.lines),  # noqa: E741
            vat_groups=tuple(mapping.group(g, code) for g in invoice.vat_groups),
            net=mapping.money(invoice.net_minor, code),
            vat=mapping.money(invoice.vat_minor, code),
            gross=mapping.money(invoice.gross_minor, code),
            paid=mapping.money(paid, code),
            credited=mapping.money(credited, code),
            balance=mapping.money(balance, code),
            credited_invoice_id=invoice.credited_invoice_id,
            credited_invoice_number=original.number if original else None,
            credited_invoice_date=original.issue_date if original else None,
            buyer_reference=invoice.buyer_reference,
            notes=invoice.notes,
            reason=invoice.reason,
            pdf_sha256=invoice.pdf_sha256,
            issued_at=invoice.issued_at,
            exchange_rate=invoice.exchange_rate,
            requirements=reqs,
            notes_required=tuple(reqs.get("notes", ()) or ()),
            warnings=warnings,
        )


def _prefix(column: Any, search: str) -> Any:
    """Case-insensitive "starts with", as a range the NOCASE indexes can answer."""
    text_ = search.strip()
    nocase = column.collate("NOCASE")
    return (nocase >= text_) & (nocase < text_ + "\U0010ffff")
