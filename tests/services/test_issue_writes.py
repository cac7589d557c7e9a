"""Issuing writes back only what changed since the draft's estimate (services/issue_rows.py):
the stored document must still be exactly what the engine decided at issue."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicer.services import issue_rows
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from invoicer.store import schema
from tests.backends import rows


def german_consumer(svc: Services) -> str:
    return svc.customers.add(
        NewCustomer(
            name="Jana Schmidt",
            country="DE",
            street="Unter den Linden 1",
            postcode="10117",
            city="Berlin",
        )
    ).id


def draft(svc: Services, customer: str, price: str) -> str:
    invoice = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(invoice.id, NewLine(description="Bike", unit_price=price))
    svc.invoices.add_line(invoice.id, NewLine(description="Bell", unit_price="10", quantity="2"))
    return invoice.id


def stored_lines_and_groups(db_target: Path | str, invoice_id: str) -> tuple[list[Any], list[Any]]:
    lines = rows(
        db_target,
        "SELECT position, net_minor, category, rate, tax_country FROM invoice_lines "
        "WHERE invoice_id = :id ORDER BY position",
        id=invoice_id,
    )
    groups = rows(
        db_target,
        "SELECT position, category, rate, taxable_minor, tax_minor, tax_country "
        "FROM vat_groups WHERE invoice_id = :id ORDER BY position",
        id=invoice_id,
    )
    return lines, groups


def test_a_stale_estimate_is_replaced_by_the_decision_at_issue(
    shop: Services, db_target: Path | str
) -> None:
    customer = german_consumer(shop)
    first, second = draft(shop, customer, "9000"), draft(shop, customer, "1500")
    estimate = shop.invoices.get(second)
    assert {g.rate for g in estimate.vat_groups} == {Decimal(21)}  # both below the threshold
    shop.invoices.issue(first)
    decided = shop.invoices.preview(second)  # the first sale moved the threshold
    issued = shop.invoices.issue(second)
    assert {g.rate for g in issued.vat_groups} == {Decimal(19)}  # German VAT from this sale
    assert (issued.vat_groups, issued.gross) == (decided.vat_groups, decided.gross)
    lines, groups = stored_lines_and_groups(db_target, second)
    assert [line[3:] for line in lines] == [("19", "DE"), ("19", "DE")]
    assert [(g.category, g.rate, g.taxable, g.tax) for g in issued.vat_groups] == [
        (category, Decimal(rate), Decimal(taxable) / 100, Decimal(tax) / 100)
        for _, category, rate, taxable, tax, _ in groups
    ]
    assert shop.invoices.get(second) == issued
    report = shop.audit.verify()
    assert report.ok, report.problems


def test_an_unchanged_estimate_is_kept_and_the_document_is_the_same(
    shop: Services, db_target: Path | str
) -> None:
    invoice = draft(shop, german_consumer(shop), "100")
    before = stored_lines_and_groups(db_target, invoice)
    issued = shop.invoices.issue(invoice)
    assert stored_lines_and_groups(db_target, invoice) == before
    assert shop.invoices.get(invoice) == issued
    assert issued.number is not None
    assert issued.status == "open"
    assert shop.audit.verify().ok


def test_the_core_reads_of_issuing_see_only_the_transactions_shop(shop: Services) -> None:
    invoice = draft(shop, german_consumer(shop), "100")
    db = shop.invoices.db
    with db.write() as session:
        other = schema.Tenant()
        session.add(other)
    with db.write(shop_id=other.id) as session:
        assert issue_rows.load_draft(session, invoice) is None
        assert issue_rows.load_parties(session, shop.invoices.get(invoice).customer_id) == (
            None,
            None,
        )
    with db.write() as session:
        loaded = issue_rows.load_draft(session, invoice)
        assert loaded is not None
        assert [line.description for line in loaded.invoice.lines] == ["Bike", "Bell"]
