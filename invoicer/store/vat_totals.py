"""Checks that the VAT day totals (kept by the issue trigger of migration 0008) still are the
sums of the issued documents' VAT groups: `audit verify` reports a file where they were
changed by hand. (The migration keeps its own copy of this SELECT: migrations never change.)"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from invoicer.store.tenancy import shop_of

# {day}: the issue date as the totals' TEXT key (PostgreSQL stores a DATE).
_DAY = {"sqlite": "i.issue_date", "postgresql": "to_char(i.issue_date, 'YYYY-MM-DD')"}
_FROM_GROUPS = """
    SELECT {day} AS issue_date, g.category AS category, g.rate AS rate,
           i.currency AS currency, COALESCE(g.tax_country, '') AS tax_country,
           COALESCE(i.seller_country, '') AS seller_country,
           CASE WHEN g.category IN ('K', 'AE') THEN COALESCE(i.buyer_vat_number, '') ELSE '' END
               AS buyer_vat_number,
           SUM(g.taxable_minor) AS taxable_minor, SUM(g.tax_minor) AS tax_minor
    FROM invoices AS i JOIN vat_groups AS g ON g.invoice_id = i.id
    WHERE i.shop_id = :shop AND i.issued_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
_KEPT = """
    SELECT issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number,
           taxable_minor, tax_minor
    FROM vat_day_totals
    WHERE shop_id = :shop
"""
_KEY = "issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number"


def _differences(dialect: str) -> str:
    """Keys whose totals differ, are missing or are extra; a changed total counts once."""
    groups = _FROM_GROUPS.format(day=_DAY[dialect])
    return (
        f"SELECT COUNT(*) FROM (SELECT {_KEY} FROM ({_KEPT} EXCEPT {groups}) AS extra "
        f"UNION SELECT {_KEY} FROM ({groups} EXCEPT {_KEPT}) AS missing) AS differing"
    )


def mismatched_vat_totals(session: Session) -> int:
    """How many day totals differ from (or are missing against) the issued VAT groups."""
    dialect = session.get_bind().dialect.name
    # Text SQL is not scoped by the session: the shop's own rows, named here.
    shop = shop_of(session)
    return int(session.execute(text(_differences(dialect)), {"shop": shop}).scalar_one())
