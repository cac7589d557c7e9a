"""`invoicer audit verify` and `invoicer audit head`.

Verify proves, in one read transaction, that:
- the file is sound (SQLite's integrity_check; a damaged file raises FileDamaged),
- every device's audit chain is unbroken and ends at that device's stored head (a cut tail
  shows), and the trail contains the head the merchant kept outside the file (`--expect`),
  if given,
- every issued document is what its issue event recorded, and every issue event's document
  is still there,
- every payment has its one `payment.add` event saying the same, and every such event its
  payment,
- each invoice's stored paid and credited amounts are the sums of its payments and credit
  notes,
- each number series (one per kind, device and year) is gap-free: its issued documents are
  numbers 1 to counter - 1,
- the VAT day totals are the sums of the issued VAT groups.
Each problem is reported in plain words with the document number and event it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from invoicer.domain import numbering
from invoicer.domain.money import currency, from_minor
from invoicer.services import issuing, views
from invoicer.services.audit_chains import chain_message, head_problems
from invoicer.services.base import Service, check_paging
from invoicer.services.quotes import NUMBER_FORMAT as QUOTE_NUMBER_FORMAT
from invoicer.store import schema
from invoicer.store.audit import GENESIS, verify_chain
from invoicer.store.quote_schema import Quote
from invoicer.store.sync_schema import SyncRejection
from invoicer.store.tenancy import shop_of
from invoicer.store.vat_totals import mismatched_vat_totals

ISSUE_ACTIONS = ("invoice.issue", "credit_note.issue")
SERIES_NAMES = {"invoice": "invoice", "credit_note": "credit note", "quote": "quote"}


def _money(minor: int, code: str) -> str:
    try:
        return f"{from_minor(minor, currency(code))} {code}"
    except Exception:  # an unknown currency code written by hand: show the raw figure
        return f"{minor} (minor units) {code}"


class _Events:
    """What the chain walk keeps for the comparisons with the rows."""

    def __init__(self) -> None:
        self.issued: dict[str, tuple[int, dict[str, Any]]] = {}
        self.payments: dict[str, tuple[int, dict[str, Any]]] = {}
        self.hashes_seen: set[str] = set()
        self.expect: str | None = None
        self.expect_found = False
        # Events synced in whose effect could not be applied (sync_rejections): kept in
        # their chain, they made no rows to compare with.
        self.refused: set[str] = set()

    def __call__(self, event: schema.AuditEvent) -> None:
        if event.id in self.refused:
            pass
        elif event.action in ISSUE_ACTIONS:
            self.issued[event.entity_id] = (event.seq, _issued(event))
        elif event.action == "payment.add":
            self.payments[event.entity_id] = (event.seq, _payment(event))
        if self.expect is not None and event.hash == self.expect:
            self.expect_found = True


def _issued(event: schema.AuditEvent) -> dict[str, Any]:
    """What an issue event recorded: {"number", "digest"}, from a complete payload (a "row")
    or a pre-0013 one (flat)."""
    state = _state(event.state)
    row = state.get("row")
    if not isinstance(row, dict):
        return state
    return {"number": row.get("number"), "digest": state.get("digest")}


def _payment(event: schema.AuditEvent) -> dict[str, Any]:
    """What a payment event recorded: invoice (number), amount_minor, date, method."""
    state = _state(event.state)
    row = state.get("row")
    if not isinstance(row, dict):
        return state
    return {**row, "invoice": state.get("invoice")}


def _state(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class AuditService(Service):
    def events(self, after_seq: int = 0, limit: int = 100) -> tuple[views.AuditEntry, ...]:
        """The shop's events after `after_seq`, oldest first (an ORM read: the shop's only)."""
        after_seq, limit = check_paging(after_seq, limit)
        with self._read() as session:
            rows = session.execute(
                select(schema.AuditEvent)
                .where(schema.AuditEvent.seq > after_seq)
                .order_by(schema.AuditEvent.seq)
                .limit(limit)
            ).scalars()
            return tuple(
                views.AuditEntry(
                    seq=e.seq,
                    id=e.id,
                    at=e.at,
                    actor=e.actor,
                    action=e.action,
                    entity=e.entity,
                    entity_id=e.entity_id,
                    device_id=e.device_id,
                    state=_state(e.state),
                    hash=e.hash,
                )
                for e in rows
            )

    def head(self) -> views.AuditHead:
        """The newest event of the chain (keep its hash outside the file)."""
        with self._read() as session:
            last = session.execute(
                select(schema.AuditEvent).order_by(schema.AuditEvent.seq.desc()).limit(1)
            ).scalar()
            count = session.execute(select(func.count()).select_from(schema.AuditEvent)).scalar()
            if last is None:
                return views.AuditHead(seq=0, hash=GENESIS, events=0, at=None)
            return views.AuditHead(seq=last.seq, hash=last.hash, events=count or 0, at=last.at)

    def verify(self, expect: str | None = None) -> views.AuditReport:
        """Check everything (see the module's doc); `expect`: a head hash kept outside."""
        self.db.check_integrity(full=True)
        problems: list[views.AuditProblem] = []
        events = _Events()
        events.expect = expect.lower() if expect else None
        with self._read() as session:
            events.refused = set(session.execute(select(SyncRejection.event_id)).scalars())
            chain = verify_chain(session, events)
            problems += [
                views.AuditProblem("chain", chain_message(b), event=b.seq) for b in chain.breaks
            ]
            problems += head_problems(session, chain.ends)
            if events.expect is not None and not (events.expect_found or events.expect == GENESIS):
                problems.append(
                    views.AuditProblem(
                        "expected_head",
                        f"The head you kept ({events.expect[:12]}…) is not in the audit trail: "
                        "the events up to it were removed or rewritten.",
                    )
                )
            tampered, document_problems = _document_problems(session, events)
            problems += document_problems
            problems += _payment_problems(session, events)
            problems += _running_figure_problems(session)
            problems += _counter_problems(session)
            totals_off = mismatched_vat_totals(session)
            if totals_off:
                problems.append(
                    views.AuditProblem(
                        "vat_totals",
                        f"{totals_off} VAT day total(s) differ from the issued documents' VAT "
                        "groups (changed outside Invoicer); the VAT summary would be wrong.",
                    )
                )
            head = (
                views.AuditHead(chain.last_seq, chain.last_hash, chain.events, None)
                if chain.last_seq is not None
                else views.AuditHead(0, GENESIS, 0, None)
            )
        return views.AuditReport(
            ok=not problems,
            events=chain.events,
            first_bad_seq=chain.first_bad_seq,
            problem=problems[0].message if problems else None,
            tampered_invoices=tuple(tampered),
            problems=tuple(problems),
            head=head,
        )


def _document_problems(
    session: Session, events: _Events
) -> tuple[list[str], list[views.AuditProblem]]:
    tampered: list[str] = []
    problems: list[views.AuditProblem] = []
    issued = session.execute(
        select(schema.Invoice)
        .where(schema.Invoice.issued_at.is_not(None))
        .options(selectinload(schema.Invoice.lines), selectinload(schema.Invoice.vat_groups))
        .order_by(schema.Invoice.kind, schema.Invoice.year, schema.Invoice.seq)
        .execution_options(yield_per=500)
    ).scalars()
    present: set[str] = set()
    for invoice in issued:
        present.add(invoice.id)
        name = invoice.number or invoice.id
        recorded = events.issued.get(invoice.id)
        if recorded is None:
            tampered.append(name)
            problems.append(
                views.AuditProblem(
                    "document",
                    f"{name} has no issue event in the audit trail: it was added or issued "
                    "outside Invoicer.",
                    document=name,
                )
            )
        elif recorded[1].get("digest") != issuing.content_digest(invoice):
            tampered.append(name)
            problems.append(
                views.AuditProblem(
                    "document",
                    f"{name} (issued in event {recorded[0]}) differs from what was issued: "
                    "its amounts, lines, VAT, dates or parties were changed afterwards.",
                    document=name,
                    event=recorded[0],
                )
            )
    for entity_id, (seq, state) in sorted(events.issued.items(), key=lambda item: item[1][0]):
        if entity_id not in present:
            name = str(state.get("number") or entity_id)
            problems.append(
                views.AuditProblem(
                    "document",
                    f"{name} (issued in event {seq}) is no longer in the file: it was deleted.",
                    document=name,
                    event=seq,
                )
            )
    return tampered, problems


def _payment_problems(session: Session, events: _Events) -> list[views.AuditProblem]:
    problems: list[views.AuditProblem] = []
    rows = session.execute(
        select(schema.Payment, schema.Invoice.number)
        .join(schema.Invoice, schema.Invoice.id == schema.Payment.invoice_id, isouter=True)
        .order_by(schema.Payment.created_at, schema.Payment.id)
    )
    seen: set[str] = set()
    for payment, number in rows:
        seen.add(payment.id)
        amount = _money(payment.amount_minor, payment.currency)
        where = number or f"invoice {payment.invoice_id}"
        recorded = events.payments.get(payment.id)
        if recorded is None:
            problems.append(
                views.AuditProblem(
                    "payment",
                    f"A payment of {amount} on {where} (dated {payment.date}) has no audit "
                    "event: it was added outside Invoicer.",
                    document=number,
                )
            )
            continue
        seq, state = recorded
        changed = []
        if state.get("amount_minor") != payment.amount_minor:
            was = state.get("amount_minor")
            was_text = _money(was, payment.currency) if isinstance(was, int) else str(was)
            changed.append(f"amount {amount}, recorded {was_text}")
        if state.get("invoice") != number:
            changed.append(f"invoice {where}, recorded {state.get('invoice')}")
        if state.get("date") != payment.date.isoformat():
            changed.append(f"date {payment.date}, recorded {state.get('date')}")
        if state.get("method") != payment.method:
            changed.append(f"method {payment.method}, recorded {state.get('method')}")
        if changed:
            problems.append(
                views.AuditProblem(
                    "payment",
                    f"The payment of event {seq} on {where} was changed: {'; '.join(changed)}.",
                    document=number,
                    event=seq,
                )
            )
    gone = sorted(
        (item for item in events.payments.items() if item[0] not in seen),
        key=lambda item: item[1][0],
    )
    numbers = {str(state.get("invoice")) for _, (_, state) in gone}
    currencies: dict[str, str] = {}
    if gone:
        currencies = {
            str(n): str(c)
            for n, c in session.execute(
                select(schema.Invoice.number, schema.Invoice.currency).where(
                    schema.Invoice.number.in_(sorted(numbers)[:500])
                )
            )
        }
    for _entity_id, (seq, state) in gone:
        invoice_number = state.get("invoice")
        amount_minor = state.get("amount_minor")
        code = currencies.get(str(invoice_number))
        amount_text = (
            _money(amount_minor, code)
            if isinstance(amount_minor, int) and code
            else str(amount_minor)
        )
        problems.append(
            views.AuditProblem(
                "payment",
                f"The payment of event {seq} ({amount_text} on {invoice_number}, dated "
                f"{state.get('date')}) is no longer in the file: it was deleted.",
                document=str(invoice_number) if invoice_number else None,
                event=seq,
            )
        )
    return problems


def _running_figure_problems(session: Session) -> list[views.AuditProblem]:
    rows = session.execute(
        text(
            """
            SELECT i.number, i.id, i.currency, i.paid_minor, i.credited_minor,
                   COALESCE(p.total, 0), COALESCE(c.total, 0)
            FROM invoices i
            LEFT JOIN (SELECT invoice_id, CAST(SUM(amount_minor) AS BIGINT) AS total
                       FROM payments WHERE shop_id = :shop
                       GROUP BY invoice_id) AS p ON p.invoice_id = i.id
            LEFT JOIN (SELECT credited_invoice_id, CAST(-SUM(gross_minor) AS BIGINT) AS total
                       FROM invoices
                       WHERE shop_id = :shop AND kind = 'credit_note'
                         AND issued_at IS NOT NULL AND credited_invoice_id IS NOT NULL
                       GROUP BY credited_invoice_id) AS c ON c.credited_invoice_id = i.id
            WHERE i.shop_id = :shop
              AND (i.paid_minor != COALESCE(p.total, 0)
                   OR i.credited_minor != COALESCE(c.total, 0))
            ORDER BY i.year, i.seq
            """
        ),
        {"shop": shop_of(session)},  # text SQL is not scoped to the shop by the session
    )
    problems = []
    for number, invoice_id, code, paid_minor, credited_minor, paid, credited in rows:
        name = number or f"draft {invoice_id}"
        if paid_minor != paid:
            problems.append(
                views.AuditProblem(
                    "paid",
                    f"{name}: the stored paid amount ({_money(paid_minor, code)}) is not the sum "
                    f"of its payments ({_money(paid, code)}); it was set outside Invoicer.",
                    document=number,
                )
            )
        if credited_minor != credited:
            problems.append(
                views.AuditProblem(
                    "credited",
                    f"{name}: the stored credited amount ({_money(credited_minor, code)}) is not "
                    f"the sum of its credit notes ({_money(credited, code)}); it was set "
                    "outside Invoicer.",
                    document=number,
                )
            )
    return problems


def _ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _counter_problems(session: Session) -> list[views.AuditProblem]:
    shop = session.execute(select(schema.Shop).limit(1)).scalar()
    formats = {
        "invoice": shop.invoice_number_format if shop else "{seq}",
        "credit_note": shop.credit_note_number_format if shop else "{seq}",
        "quote": QUOTE_NUMBER_FORMAT,
    }

    def number(series: str, year: int, seq: int) -> str:
        kind, prefix = numbering.split_series(str(series))
        try:
            fmt = numbering.device_format(formats.get(kind, "{seq}"), prefix)
            return fmt.format(year=year, seq=seq)
        except (KeyError, IndexError, ValueError):
            return f"#{seq}"

    def label(series: str, year: int) -> str:
        kind, prefix = numbering.split_series(str(series))
        device = f" of device series {prefix}" if prefix else ""
        return f"the {SERIES_NAMES.get(kind, kind)} series{device} of {year}"

    counters: dict[tuple[Any, Any], int] = {
        (row.series, row.year): row.next_seq
        for row in session.execute(select(schema.NumberSeries)).scalars()
    }
    issued: dict[tuple[Any, Any], list[tuple[Any, Any]]] = {}  # NULLs written by hand too
    for series, year, seq, doc_number in session.execute(
        select(
            schema.Invoice.series, schema.Invoice.year, schema.Invoice.seq, schema.Invoice.number
        ).where(schema.Invoice.issued_at.is_not(None))
    ):
        issued.setdefault((series, year), []).append((seq, doc_number))
    quotes = select(Quote.series, Quote.year, Quote.seq, Quote.number)
    for series, year, seq, doc_number in session.execute(
        quotes.where(Quote.issued_at.is_not(None))
    ):
        issued.setdefault((series, year), []).append((seq, doc_number))  # their own series
    problems: list[views.AuditProblem] = []
    for key in sorted(set(counters) | set(issued), key=lambda k: (str(k[0]), k[1] or 0)):
        series, year = key
        where = label(series, year)
        docs = issued.get(key, [])
        next_seq = counters.get(key)
        if next_seq is None:
            problems.append(
                views.AuditProblem(
                    "counter",
                    f"The number counter of {where} is missing, but {len(docs)} document(s) of "
                    "it were issued: it was deleted outside Invoicer.",
                    document=docs[0][1],
                )
            )
            continue
        seqs = {seq for seq, _ in docs}
        missing = set(range(1, next_seq)) - seqs
        for first, last in _ranges(missing):
            if first == last:
                text_ = (
                    f"Number {first} ({number(series, year, first)}) of {where} was never "
                    f"issued or was removed: the counter stands at {next_seq}."
                )
            else:
                text_ = (
                    f"Numbers {first} to {last} ({number(series, year, first)} to "
                    f"{number(series, year, last)}, {last - first + 1} numbers) of {where} were "
                    f"never issued or were removed: the counter stands at {next_seq}."
                )
            problems.append(
                views.AuditProblem("counter", text_, document=number(series, year, first))
            )
        for seq, doc_number in sorted(docs, key=lambda doc: doc[0] or 0):
            if seq is None or seq >= next_seq:
                problems.append(
                    views.AuditProblem(
                        "counter",
                        f"{doc_number} was issued past the counter of {where}, which stands at "
                        f"{next_seq}: the counter was set back outside Invoicer.",
                        document=doc_number,
                    )
                )
    return problems
