"""`invoicer audit verify`: the chain is intact, no issued document differs from its record and
the VAT day totals are the sums of the issued VAT groups."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from invoicer.services import issuing, views
from invoicer.services.base import Service
from invoicer.store import schema
from invoicer.store.audit import verify_chain
from invoicer.store.vat_totals import mismatched_vat_totals


class AuditService(Service):
    def verify(self) -> views.AuditReport:
        with self.db.read() as session:
            chain = verify_chain(session)
            recorded: dict[str, str] = {}
            for entity_id, state in session.execute(
                select(schema.AuditEvent.entity_id, schema.AuditEvent.state).where(
                    schema.AuditEvent.action.in_(("invoice.issue", "credit_note.issue"))
                )
            ):
                recorded[entity_id] = json.loads(state)["digest"]
            tampered = []
            issued = session.execute(
                select(schema.Invoice)
                .where(schema.Invoice.issued_at.is_not(None))
                .options(
                    selectinload(schema.Invoice.lines), selectinload(schema.Invoice.vat_groups)
                )
                .execution_options(yield_per=500)
            ).scalars()
            for invoice in issued:
                if recorded.get(invoice.id) != issuing.content_digest(invoice):
                    tampered.append(invoice.number or invoice.id)
            totals_off = mismatched_vat_totals(session)
        problem = chain.problem
        if tampered and problem is None:
            problem = f"{len(tampered)} issued document(s) differ from what was issued"
        if totals_off and problem is None:
            problem = (
                f"{totals_off} VAT day total(s) differ from the issued documents' VAT groups "
                "(changed outside Invoicer); the VAT summary would be wrong"
            )
        return views.AuditReport(
            ok=chain.ok and not tampered and not totals_off,
            events=chain.events,
            first_bad_seq=chain.first_bad_seq,
            problem=problem,
            tampered_invoices=tuple(tampered),
        )
