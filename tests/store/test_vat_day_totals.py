"""The VAT day totals (migration 0008) are kept by a trigger as documents are issued: always the
sums of the issued documents' VAT groups, never a draft's, and never half of a failed issue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from invoicer.domain.errors import InvoicerError
from invoicer.services.app import open_services
from invoicer.services.demo import fill_demo
from tests.services.conftest import TODAY

FROM_GROUPS = """
    SELECT i.shop_id, i.issue_date, g.category, g.rate, i.currency, COALESCE(g.tax_country, ''),
           COALESCE(i.seller_country, ''),
           CASE WHEN g.category IN ('K', 'AE') THEN COALESCE(i.buyer_vat_number, '') ELSE '' END,
           SUM(g.taxable_minor), SUM(g.tax_minor)
    FROM invoices AS i JOIN vat_groups AS g ON g.shop_id = i.shop_id AND g.invoice_id = i.id
    WHERE i.issued_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""
KEPT = "SELECT * FROM vat_day_totals ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_the_day_totals_are_the_sums_of_the_issued_groups(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    with open_services(path, today=lambda: TODAY) as svc:
        fill_demo(svc, invoices=150, seed=7)  # domestic, K, G, OSS, reverse charge, credit notes
        customer = svc.customers.list().items[0].id
        draft = svc.invoices.create_draft(customer)
        svc.invoices.add_line(draft.id, description="Not yet", unit_price="999.00")

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
    with sqlite3.connect(path) as db:  # the draft has groups (its estimate), yet is not counted
        count = "SELECT COUNT(*) FROM vat_groups WHERE invoice_id = ?"
        assert db.execute(count, (draft.id,)).fetchone()[0] > 0


def test_a_failed_issue_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite"
    with open_services(path, today=lambda: TODAY) as svc:
        fill_demo(svc, invoices=20, seed=2)
        before = rows(path, KEPT)
        draft = svc.invoices.create_draft(svc.customers.list().items[0].id)
        with pytest.raises(InvoicerError):
            svc.invoices.issue(draft.id)  # no lines: refused
        svc.invoices.add_line(draft.id, description="Tea", unit_price="10.00")
        with sqlite3.connect(path) as db:  # the issue fails at its very last write
            db.execute("CREATE TRIGGER fail AFTER INSERT ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'disk full'); END")  # fmt: skip
        with pytest.raises(IntegrityError, match="disk full"):
            svc.invoices.issue(draft.id)
        assert rows(path, KEPT) == before
        with sqlite3.connect(path) as db:
            db.execute("DROP TRIGGER fail")
        issued = svc.invoices.issue(draft.id)
    after = rows(path, KEPT)
    assert after != before
    assert after == rows(path, FROM_GROUPS)
    assert any(row[1] == issued.issue_date.isoformat() for row in after)  # type: ignore[union-attr]
