"""The VAT day totals (migration 0008) are kept by a trigger as documents are issued: always the
sums of the issued documents' VAT groups, never a draft's, and never half of a failed issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import open_services
from invoicer.services.commands import NewDraft, NewLine
from invoicer.services.demo import fill_demo
from tests.backends import dialect, execute
from tests.backends import rows as all_rows
from tests.services.conftest import TODAY

FROM_GROUPS = """
    SELECT i.shop_id, {day}, g.category, g.rate, i.currency, COALESCE(g.tax_country, ''),
           COALESCE(i.seller_country, ''),
           CASE WHEN g.category IN ('K', 'AE') THEN COALESCE(i.buyer_vat_number, '') ELSE '' END,
           SUM(g.taxable_minor), SUM(g.tax_minor)
    FROM invoices AS i JOIN vat_groups AS g ON g.shop_id = i.shop_id AND g.invoice_id = i.id
    WHERE i.issued_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""
KEPT = """
    SELECT shop_id, issue_date, category, rate, currency, tax_country, seller_country,
           buyer_vat_number, taxable_minor, tax_minor
    FROM vat_day_totals ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""


# The totals' key is the issue date as text; PostgreSQL stores a DATE.
DAY = {"sqlite": "i.issue_date", "postgresql": "to_char(i.issue_date, 'YYYY-MM-DD')"}
# An issue that fails at its very last write (the audit event), made by the database.
FAIL = {
    "sqlite": [
        "CREATE TRIGGER fail AFTER INSERT ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'disk full' USING ERRCODE = '23000'; END $$",
        "CREATE TRIGGER fail AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail()",
    ],
}
UNFAIL = {
    "sqlite": ["DROP TRIGGER fail"],
    "postgresql": ["DROP TRIGGER fail ON audit_events", "DROP FUNCTION fail()"],
}


def rows(path: Path | str, sql: str) -> list[tuple[object, ...]]:
    return all_rows(path, sql.replace("{day}", DAY[dialect(path)]))


def test_the_day_totals_are_the_sums_of_the_issued_groups(db_target: Path | str) -> None:
    path = db_target
    with open_services(path, today=lambda: TODAY) as svc:
        fill_demo(svc, invoices=150, seed=7)  # domestic, K, G, OSS, reverse charge, credit notes
        customer = svc.customers.list().items[0].id
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        svc.invoices.add_line(draft.id, NewLine(description="Not yet", unit_price="999.00"))

    kept = rows(path, KEPT)
    assert kept == rows(path, FROM_GROUPS)
    categories = {row[2] for row in kept}
    assert {"S", "K", "G"} <= categories  # the comparison covers the special cases
    assert any(row[7] for row in kept)  # buyers' VAT numbers for K/AE
    assert any(row[8] < 0 for row in kept)  # credit notes count negative
    assert len(kept) < len(rows(path, "SELECT 1 FROM vat_groups"))  # fewer rows to read
    # The dashboard's revenue reads these too: an invoice's net is its groups' taxable sum.
    net_is_taxable = """SELECT COUNT(*) FROM invoices AS i WHERE issued_at IS NOT NULL AND net_minor
        != (SELECT COALESCE(SUM(taxable_minor), 0) FROM vat_groups WHERE invoice_id = i.id)"""
    assert rows(path, net_is_taxable) == [(0,)]
    # The draft has groups (its estimate), yet is not counted.
    count = all_rows(path, "SELECT COUNT(*) FROM vat_groups WHERE invoice_id = :id", id=draft.id)
    assert count[0][0] > 0


def test_a_failed_issue_adds_nothing(db_target: Path | str) -> None:
    path = db_target
    with open_services(path, today=lambda: TODAY) as svc:
        fill_demo(svc, invoices=20, seed=2)
        before = rows(path, KEPT)
        draft = svc.invoices.create_draft(NewDraft(customer_id=svc.customers.list().items[0].id))
        with pytest.raises(InvoicerError):
            svc.invoices.issue(draft.id)  # no lines: refused
        svc.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="10.00"))
        execute(path, *FAIL[dialect(path)])
        with pytest.raises(IntegrityError, match="disk full"):
            svc.invoices.issue(draft.id)
        assert rows(path, KEPT) == before
        execute(path, *UNFAIL[dialect(path)])
        issued = svc.invoices.issue(draft.id)
    after = rows(path, KEPT)
    assert after != before
    assert after == rows(path, FROM_GROUPS)
    assert any(row[1] == issued.issue_date.isoformat() for row in after)  # type: ignore[union-attr]
