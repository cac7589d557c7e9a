"""Checks that the VAT day totals (kept by the issue trigger of migration 0008) still are the
sums of the issued documents' VAT groups: `audit verify` reports a file where they were
changed by hand. (The migration keeps its own copy of this SELECT: migrations never change.)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_FROM_GROUPS = """
    SELECT i.issue_date AS issue_date, g.category AS category, g.rate AS rate,
           i.currency AS currency, COALESCE(g.tax_country, '') AS tax_country,
           COALESCE(i.seller_country, '') AS seller_country,
           CASE WHEN g.category IN ('K', 'AE') THEN COALESCE(i.buyer_vat_number, '') ELSE '' END
               AS buyer_vat_number,
           SUM(g.taxable_minor) AS taxable_minor, SUM(g.tax_minor) AS tax_minor
    FROM invoices AS i JOIN vat_groups AS g ON g.invoice_id = i.id
    WHERE i.issued_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
_KEPT = """
    SELECT issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number,
           taxable_minor, tax_minor
    FROM vat_day_totals
"""
_KEY = "issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number"
# Keys whose totals differ, are missing or are extra; a changed total counts once.
_DIFFERENCES = text(
    f"SELECT COUNT(*) FROM (SELECT {_KEY} FROM ({_KEPT} EXCEPT {_FROM_GROUPS}) "
    f"UNION SELECT {_KEY} FROM ({_FROM_GROUPS} EXCEPT {_KEPT}))"
)


def mismatched_vat_totals(session: Session) -> int:
    """How many day totals differ from (or are missing against) the issued VAT groups."""
    return int(session.execute(_DIFFERENCES).scalar_one())
