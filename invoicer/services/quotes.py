"""Quotes (estimates): drafts with lines, issued with a number of their own series and a
validity date, then frozen; sent, accepted or declined; an accepted one becomes a draft
invoice (all of its lines or chosen ones), whose VAT is decided again at the invoice date.

A quote is never an invoice: it lives in its own table (store/quote_schema.py), so no VAT
report, revenue figure or dashboard counts it. Its VAT is decided by the engine exactly as
issuing decides an invoice's (issuing.build_request from rows that are never stored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from invoicer.domain.amounts import locale_for
from invoicer.domain.errors import Conflict, InvoicerError, NotFound, ValidationError
from invoicer.domain.money import currency
from invoicer.domain.totals import net_total_minor
from invoicer.domain.vat.engine import quote as decide
from invoicer.domain.vat.model import Quote as Decision
from invoicer.services import issuing, mapping, quote_lines, views
from invoicer.services.base import Service, check_paging
from invoicer.services.commands import DraftChanges, NewDraft, NewLine, NewQuote
from invoicer.services.fields import Fields
from invoicer.services.invoices import InvoiceService
from invoicer.store import audit, schema
from invoicer.store.event_state import row_state
from invoicer.store.quote_schema import Quote

NUMBER_FORMAT = "QUO-{year}-{seq:06d}"  # the quote series; never an invoice number
VALID_DAYS = 30
STATUSES = ("draft", "issued", "sent", "accepted", "declined", "expired")
LINE_KEYS = (
    "product_id",
    "description",
    "quantity",
    "unit_price",
    "unit_code",
    "rate_class",
    "supply_kind",
    "art59_service",
)


@dataclasses.dataclass(frozen=True, slots=True)
class QuoteView:
    id: str
    number: str | None
    status: str  # draft | issued | sent | accepted | declined | expired (derived)
    customer_id: str
    customer_name: str
    currency: str
    language: str
    issue_date: dt.date | None
    valid_until: dt.date | None
    valid_days: int
    notes: str | None
    seller: views.Party
    buyer: views.Party
    lines: tuple[views.InvoiceLine, ...]
    vat_groups: tuple[views.VatGroup, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    invoice_id: str | None
    converted_positions: tuple[int, ...]
    issued_at: dt.datetime | None


def status_of(row: Quote, today: dt.date) -> str:
    """Expired is derived: issued or sent, and its last valid day has passed."""
    if row.status in ("issued", "sent") and row.valid_until and row.valid_until < today:
        return "expired"
    return row.status


class QuoteService(Service):
    def __init__(self, db: Any, ctx: Any, invoices: InvoiceService) -> None:
        super().__init__(db, ctx)
        self.invoices = invoices

    # --- drafts -----------------------------------------------------------------------

    def create(self, new: NewQuote) -> QuoteView:
        data = new.given()
        customer_id = data.pop("customer_id", None)
        if not customer_id or not isinstance(customer_id, str):
            raise ValidationError.single("customer_id", "required", "Customer id is required.")
        with self._write() as session:
            customer = session.get(schema.Customer, customer_id)
            if customer is None:
                raise NotFound(f"There is no customer with id {customer_id}.")
            if customer.archived:
                raise Conflict(f"Customer {customer.name} is archived.")
            shop = self._shop(session)
            fields = Fields(data, tuple(NewQuote.model_fields), locale=locale_for(shop.language))
            chosen_currency = fields.currency("currency")
            language = fields.language("language")
            valid_days = fields.integer("valid_days", maximum=365)
            if valid_days is not None and valid_days < 1:
                fields.add("valid_days", "out_of_range", "A quote is valid for at least 1 day.")
            notes = fields.text("notes", max_len=4000, multiline=True)
            fields.done()
            row = Quote(
                customer_id=customer.id,
                customer_name=customer.name,
                currency=chosen_currency or customer.currency or shop.currency,
                language=language or customer.language or shop.language,
                valid_days=valid_days,
                notes=notes,
                lines=[],
                vat_groups=[],
                status="draft",
            )
            session.add(row)
            session.flush()
            self._record(session, "quote.create", row)
            return self._view(row)

    def add_line(self, quote_id: str, new_line: NewLine) -> QuoteView:
        """A line as a draft invoice takes it (invoices' own checks: free text or a product)."""
        with self._write() as session:
            row = self._draft(session, quote_id)
            line = self.invoices._check_line(session, new_line.given(), locale_for(row.language))
            lines = [*row.lines, quote_lines.line_json(line, quote_lines.next_position(row))]
            pairs = [(Decimal(x["quantity"]), Decimal(x["unit_price"])) for x in lines]
            net_total_minor(pairs, currency(row.currency))  # past the limits: refused
            row.lines = lines
            self._estimate(session, row)
            self._record(session, "quote.add_line", row)
            return self._view(row)

    def remove_line(self, quote_id: str, position: int) -> QuoteView:
        with self._write() as session:
            row = self._draft(session, quote_id)
            kept = [line for line in row.lines if line["position"] != position]
            if len(kept) == len(row.lines):
                raise NotFound(f"The quote has no line {position}.")
            row.lines = kept
            self._estimate(session, row)
            self._record(session, "quote.remove_line", row)
            return self._view(row)

    def delete_draft(self, quote_id: str) -> None:
        with self._write() as session:
            row = self._draft(session, quote_id)
            session.delete(row)
            audit.append(session, "quote.delete_draft", "quote", row.id, {"id": row.id})

    # --- the life of an issued quote ----------------------------------------------------

    def issue(self, quote_id: str) -> QuoteView:
        """The next number of the quote series, the VAT decided today, a validity date; from
        here nothing it says changes."""
        with self._write() as session:
            row = self._draft(session, quote_id)
            if not row.lines:
                raise ValidationError.single("lines", "empty", "A quote needs at least one line.")
            shop = self._shop(session)
            customer = session.get(schema.Customer, row.customer_id)
            assert customer is not None  # a foreign key
            today = self.today()
            self._apply(row, self._decide(session, row, shop, customer, today))
            series, fmt = issuing.device_series(session, "quote", NUMBER_FORMAT)
            row.seq, row.number = issuing.next_number(session, series, today.year, fmt)
            row.series, row.year = series, today.year
            row.issue_date = today
            row.valid_until = today + dt.timedelta(days=row.valid_days or VALID_DAYS)
            row.seller = issuing.seller_snapshot(shop)
            row.buyer = issuing.buyer_snapshot(customer)
            row.status = "issued"
            row.issued_at = row.updated_at = self.now()
            self._record(session, "quote.issue", row)
            return self._view(row)

    def send(self, quote_id: str) -> QuoteView:
        """Mark an issued quote as sent to the customer (sending it is the mail's job)."""
        return self._move(quote_id, "quote.send", ("issued", "sent"), "sent")

    def accept(self, quote_id: str) -> QuoteView:
        return self._move(quote_id, "quote.accept", ("issued", "sent"), "accepted")

    def decline(self, quote_id: str) -> QuoteView:
        return self._move(quote_id, "quote.decline", ("issued", "sent"), "declined")

    def convert(self, quote_id: str, positions: list[int] | None = None) -> views.Invoice:
        """An accepted quote's lines (all, or those at `positions`) as a draft invoice; its
        VAT is decided again at the invoice date, and a note on the draft says what changed."""
        with self._read() as session:
            row = self._load(session, quote_id)
            if row.status != "accepted":
                raise Conflict(
                    f"Quote {row.number or row.id} is {status_of(row, self.today())}; "
                    "only an accepted quote becomes an invoice (accept it first)."
                )
            if row.invoice_id is not None:
                raise Conflict(f"Quote {row.number} already became an invoice.")
            chosen = quote_lines.chosen(row, positions)
            number, customer_id = row.number, row.customer_id
            quote_currency, language = row.currency, row.language
        draft = self.invoices.create_draft(
            NewDraft(customer_id=customer_id, currency=quote_currency, language=language)
        )
        try:
            for line in chosen:
                given = {key: line[key] for key in LINE_KEYS if line[key] is not None}
                given["quantity"] = Decimal(line["quantity"])  # exact, whatever the locale
                given["unit_price"] = Decimal(line["unit_price"])  # the quoted price
                given["art59_service"] = bool(line["art59_service"])
                self.invoices.add_line(draft.id, NewLine(**given))
            preview = self.invoices.preview(draft.id)
            changes = quote_lines.vat_changes(chosen, preview)
            note = f"From quote {number}."
            if changes:
                note += " The VAT was decided again at the invoice date: " + " ".join(changes)
            self.invoices.update_draft(draft.id, DraftChanges(notes=note))
            with self._write() as session:
                row = self._load(session, quote_id)
                if row.invoice_id is not None:  # another caller converted it meanwhile
                    raise Conflict(f"Quote {row.number} already became an invoice.")
                row.invoice_id = draft.id
                row.converted_positions = [line["position"] for line in chosen]
                row.updated_at = self.now()
                self._record(session, "quote.convert", row)
        except InvoicerError:
            self.invoices.delete_draft(draft.id)  # no half-made invoice is left behind
            raise
        return self.invoices.get(draft.id)

    # --- reading ----------------------------------------------------------------------

    def get(self, quote_id: str) -> QuoteView:
        """By id or by number."""
        with self._read() as session:
            return self._view(self._load(session, quote_id))

    def list(
        self,
        status: str | None = None,
        customer_id: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> views.Page[QuoteView]:
        offset, limit = check_paging(offset, limit)
        if status is not None and status not in STATUSES:
            raise ValidationError.single(
                "status", "unknown_value", f"Status must be one of {', '.join(STATUSES)}."
            )
        today = self.today()
        query = select(Quote)
        if customer_id:
            query = query.where(Quote.customer_id == customer_id)
        if status == "expired":
            query = query.where(Quote.status.in_(("issued", "sent")), Quote.valid_until < today)
        elif status in ("issued", "sent"):
            query = query.where(
                Quote.status == status, or_(Quote.valid_until.is_(None), Quote.valid_until >= today)
            )
        elif status is not None:
            query = query.where(Quote.status == status)
        ordered = query.order_by(Quote.created_at.desc(), Quote.id.desc())
        with self._read() as session:
            rows = session.execute(ordered.offset(offset).limit(limit)).scalars().all()
            count = select(func.count()).select_from(query.subquery())
            total = int(session.execute(count).scalar() or 0)
            items = tuple(self._view(row) for row in rows)
        return views.Page(items, total, offset, limit, False)

    # --- helpers ----------------------------------------------------------------------

    def _move(self, quote_id: str, action: str, allowed: tuple[str, ...], to: str) -> QuoteView:
        with self._write() as session:
            row = self._load(session, quote_id)
            today = self.today()
            current = status_of(row, today)
            if current == "expired" and to != "declined":
                raise Conflict(
                    f"Quote {row.number} expired on {row.valid_until:%Y-%m-%d}; "
                    "make a new quote for the customer."
                )
            if row.status not in allowed:
                raise Conflict(f"Quote {row.number or row.id} is {current}; it cannot be {to}.")
            row.status = to
            now = self.now()
            if to == "sent":
                row.sent_at = now
            else:
                row.decided_at = now
            row.updated_at = now
            self._record(session, action, row)
            return self._view(row)

    def _load(self, session: Session, quote_id: str) -> Quote:
        if not isinstance(quote_id, str) or not quote_id or "\x00" in quote_id:
            raise NotFound(f"There is no quote {quote_id!r}.")
        row = session.execute(select(Quote).where(Quote.id == quote_id)).scalar()
        if row is None:
            row = session.execute(select(Quote).where(Quote.number == quote_id)).scalar()
        if row is None:
            raise NotFound(f"There is no quote {quote_id}.")
        return row

    def _draft(self, session: Session, quote_id: str) -> Quote:
        row = self._load(session, quote_id)
        if row.issued_at is not None:
            raise Conflict(
                f"Quote {row.number} is issued and can no longer be changed; "
                "make a new quote instead."
            )
        return row

    @staticmethod
    def _shop(session: Session) -> schema.Shop:
        shop = session.execute(select(schema.Shop)).scalar()
        if shop is None:
            raise Conflict("Set up the shop profile first (invoicer init).")
        return shop

    def _decide(
        self,
        session: Session,
        row: Quote,
        shop: schema.Shop,
        customer: schema.Customer,
        day: dt.date,
    ) -> Decision:
        """The engine's decision on `day`, from an invoice that is never stored."""
        invoice = schema.Invoice(
            kind="invoice", currency=row.currency, language=row.language, exchange_rate=None
        )
        invoice.lines = [quote_lines.line_row(line) for line in row.lines]
        request = issuing.build_request(
            session, invoice, shop, customer, day, self.today(), self.invoices.vies_max_age_days
        )
        return decide(request)

    def _apply(self, row: Quote, result: Decision) -> None:
        invoice = schema.Invoice(kind="invoice", currency=row.currency)
        invoice.lines = [quote_lines.line_row(line) for line in row.lines]
        issuing.apply_quote(None, invoice, result)
        row.lines = [
            quote_lines.line_json(line, old["position"])
            for line, old in zip(invoice.lines, row.lines, strict=True)
        ]
        row.vat_groups = [
            {
                "category": g.category,
                "rate": format(g.rate, "f"),
                "taxable_minor": g.taxable_minor,
                "tax_minor": g.tax_minor,
                "exemption_code": g.exemption_code,
                "exemption_text": g.exemption_text,
                "tax_country": g.tax_country,
            }
            for g in invoice.vat_groups
        ]
        row.net_minor, row.vat_minor = result.net_minor, result.vat_minor
        row.gross_minor = result.gross_minor

    def _estimate(self, session: Session, row: Quote) -> None:
        """A draft's figures as issuing would decide them today (none if not decidable)."""
        row.updated_at = self.now()
        if row.lines:
            try:
                customer = session.get(schema.Customer, row.customer_id)
                assert customer is not None
                shop = self._shop(session)
                self._apply(row, self._decide(session, row, shop, customer, self.today()))
                return
            except InvoicerError:
                pass
        row.lines = [{**line, "net_minor": 0, "category": None, "rate": None} for line in row.lines]
        row.vat_groups = []
        row.net_minor = row.vat_minor = row.gross_minor = 0

    @staticmethod
    def _record(session: Session, action: str, row: Quote) -> None:
        session.flush()
        audit.append(session, action, "quote", row.id, {"row": row_state(row)})

    def _view(self, row: Quote) -> QuoteView:
        code = row.currency
        return QuoteView(
            id=row.id,
            number=row.number,
            status=status_of(row, self.today()),
            customer_id=row.customer_id,
            customer_name=row.customer_name,
            currency=code,
            language=row.language,
            issue_date=row.issue_date,
            valid_until=row.valid_until,
            valid_days=row.valid_days or VALID_DAYS,
            notes=row.notes,
            seller=mapping.party(row.seller, ""),
            buyer=mapping.party(row.buyer, row.customer_name),
            lines=tuple(quote_lines.line_view(line, row.id, code) for line in row.lines),
            vat_groups=tuple(
                views.VatGroup(
                    category=g["category"],
                    rate=Decimal(g["rate"]),
                    taxable=mapping.money(g["taxable_minor"], code),
                    tax=mapping.money(g["tax_minor"], code),
                    exemption_code=g["exemption_code"],
                    exemption_text=g["exemption_text"],
                )
                for g in row.vat_groups
            ),
            net=mapping.money(row.net_minor, code),
            vat=mapping.money(row.vat_minor, code),
            gross=mapping.money(row.gross_minor, code),
            invoice_id=row.invoice_id,
            converted_positions=tuple(row.converted_positions or ()),
            issued_at=row.issued_at,
        )
