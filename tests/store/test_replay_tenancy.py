"""A replayed event works only in its transaction's shop: an event naming another shop's
invoice id (a device pushing to a server that holds many shops) reaches nothing of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.store import audit, schema
from invoicer.store.replay import apply_batch

from .conftest import SHOP

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def forged(
    action: str, invoice_id: str, state: dict[str, Any], seq: int, prev: str
) -> schema.AuditEvent:
    writer = audit.Writer("evil", "evil-device", lambda: dt.datetime(2026, 1, 1))
    return audit.new_event(writer, seq, prev, action, "invoice", invoice_id, state)


def test_events_naming_another_shops_invoice_leave_it_as_it_was(tmp_path: Path) -> None:
    with open_services(tmp_path / "server.sqlite") as first:
        with first.db.write() as session:
            tenant = schema.Tenant()
            session.add(tenant)
        other = Services(first.db, replace(first.ctx, shop_id=tenant.id))
        other.shop.save(ShopProfileChanges(**SHOP))
        customer = other.customers.add(NewCustomer(name="Jan", country="NL", **ADDRESS)).id
        draft = other.invoices.create_draft(NewDraft(customer_id=customer)).id
        other.invoices.add_line(draft, NewLine(description="Tea", unit_price="4.00"))
        issued = other.invoices.create_draft(NewDraft(customer_id=customer)).id
        other.invoices.add_line(issued, NewLine(description="Cake", unit_price="3.00"))
        other.invoices.issue(issued)
        before = (other.invoices.get(draft), other.invoices.get(issued))

        delete = forged("invoice.delete_draft", draft, {"id": draft}, 1, audit.GENESIS)
        pdf = forged("invoice.pdf", issued, {"id": issued, "pdf_sha256": "f" * 64}, 2, delete.hash)
        with first.db.write(shop_id=first.db.local_shop_id) as session:
            result = apply_batch(session, [delete, pdf])
        assert [e.id for e in result.new + [r[0] for r in result.refused]] == [delete.id, pdf.id]
        assert (other.invoices.get(draft), other.invoices.get(issued)) == before
        assert other.invoices.get(issued).pdf_sha256 is None
