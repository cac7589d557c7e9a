"""Reports computed in SQL: dashboard, revenue, receivables ageing and the VAT summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Date, case, cast, func, literal, select, text

from invoicer.domain.errors import ValidationError
from invoicer.services import mapping, views
from invoicer.services.base import Service
from invoicer.services.dashboard import read_dashboard
from invoicer.services.status import UNSETTLED
from invoicer.store import schema
from invoicer.store.tenancy import shop_of

inv = schema.Invoice
_K = TypeVar("_K", bound=tuple[object, ...])
_issued = inv.issued_at.is_not(None)
MAX_DAYS = 366  # the longest period the revenue stats cover


def check_days(days: object) -> int:
    """A stats window's length: a whole number of days from 1 to MAX_DAYS."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError.single(
            "days", "out_of_range", f"days must be a whole number from 1 to {MAX_DAYS}."
        )
    return days


class ReportService(Service):
    def dashboard(self, today: dt.date | None = None) -> views.Dashboard:
        with self.db.read_plain() as connection:
            return read_dashboard(
                connection, today or self.today(), self.now(), shop_id=self.ctx.shop_id
            )

    def revenue_by_month(self, year: int | None = None) -> tuple[views.RevenueMonth, ...]:
        year = year or self.today().year
        if self.db.dialect == "postgresql":
            month = func.to_char(inv.issue_date, "YYYY-MM")
        else:
            month = func.strftime("%Y-%m", inv.issue_date)
        with self._read() as session:
            rows = session.execute(
                select(
                    month,
                    inv.currency,
                    func.sum(inv.net_minor),
                    func.sum(inv.vat_minor),
                    func.sum(inv.gross_minor),
                    func.count(),
                )
                .where(_issued, inv.year == year)
                .group_by(month, inv.currency)
                .order_by(month, inv.currency)
            ).all()
        return tuple(
            views.RevenueMonth(
                m,
                code,
                mapping.money(net, code),
                mapping.money(vat, code),
                mapping.money(gross, code),
                count,
            )
            for m, code, net, vat, gross, count in rows
        )

    def aging(self, as_of: dt.date | None = None) -> tuple[views.AgingRow, ...]:
        as_of = as_of or self.today()
        balance = inv.gross_minor - inv.paid_minor - inv.credited_minor
        if self.db.dialect == "postgresql":  # date - date is a number of days there
            late = cast(literal(as_of, Date), Date) - inv.due_date
        else:
            late = func.julianday(as_of.isoformat()) - func.julianday(inv.due_date)
        bucket = case(
            (inv.due_date >= as_of, "not_due"),
            (late <= 30, "1-30"),
            (late <= 60, "31-60"),
            (late <= 90, "61-90"),
            else_="90+",
        )
        with self._read() as session:
            rows = session.execute(
                select(bucket, inv.currency, func.sum(balance), func.count())
                .where(text(UNSETTLED))
                .group_by(bucket, inv.currency)
            ).all()
        order = ["not_due", "1-30", "31-60", "61-90", "90+"]
        found = {(b, c): (amount, n) for b, c, amount, n in rows}
        codes = sorted({c for _, c in found}) or []
        return tuple(
            views.AgingRow(
                b, c, mapping.money(found.get((b, c), (0, 0))[0], c), found.get((b, c), (0, 0))[1]
            )
            for c in codes
            for b in order
        )

    def revenue_stats(self, days: int = 30, end: dt.date | None = None) -> views.RevenueStats:
        """The `days` days up to `end` (default today): issued revenue per day and currency,
        and per currency what the period's invoices came to, were paid, credited and still
        owe. ORM queries: scoped to the context's shop."""
        check_days(days)
        end = end or self.today()
        start = end - dt.timedelta(days=days - 1)
        period = (_issued, inv.issue_date >= start, inv.issue_date <= end)
        with self._read() as session:
            per_day = session.execute(
                select(
                    inv.issue_date,
                    inv.currency,
                    func.sum(inv.net_minor),
                    func.sum(inv.vat_minor),
                    func.sum(inv.gross_minor),
                    func.count(),
                )
                .where(*period)
                .group_by(inv.issue_date, inv.currency)
                .order_by(inv.issue_date, inv.currency)
            ).all()
            standing = session.execute(
                select(
                    inv.currency,
                    func.sum(inv.gross_minor),
                    func.sum(inv.paid_minor),
                    func.sum(inv.credited_minor),
                    func.count(),
                )
                .where(*period, inv.kind == "invoice")
                .group_by(inv.currency)
                .order_by(inv.currency)
            ).all()
        return views.RevenueStats(
            start=start,
            end=end,
            days=tuple(
                views.RevenueDay(
                    _day(day),
                    code,
                    mapping.money(net, code),
                    mapping.money(vat, code),
                    mapping.money(gross, code),
                    count,
                )
                for day, code, net, vat, gross, count in per_day
            ),
            currencies=tuple(
                views.CurrencyStanding(
                    code,
                    mapping.money(gross, code),
                    mapping.money(paid, code),
                    mapping.money(credited, code),
                    mapping.money(gross - paid - credited, code),
                    count,
                )
                for code, gross, paid, credited, count in standing
            ),
        )

    def vat_summary(self, start: dt.date, end: dt.date) -> views.VatSummary:
        if start > end:
            raise ValidationError.single("end", "before_start", "The period ends before it starts.")
        with self._read() as session:
            sums = session.execute(
                _VAT_SUMS,
                {"start": start.isoformat(), "end": end.isoformat(), "shop": shop_of(session)},
            ).all()
        rows: dict[tuple[str, Decimal, str], list[int]] = {}
        ic: dict[tuple[str, str], list[int]] = {}
        oss: dict[tuple[str, Decimal, str], list[int]] = {}
        for cat, rate_text, code, tax_country, seller_country, buyer_vat, taxable, tax in sums:
            rate = Decimal(rate_text)
            _add(rows, (cat, rate, code), taxable, tax)
            if cat in ("K", "AE"):
                goods, services = (taxable, 0) if cat == "K" else (0, taxable)
                _add(ic, (str(buyer_vat), code), goods, services)
            elif cat == "S" and tax_country is not None and tax_country != seller_country:
                _add(oss, (tax_country, rate, code), taxable, tax)
        return views.VatSummary(
            start=start,
            end=end,
            rows=tuple(
                views.VatSummaryRow(cat, rate, code, mapping.money(a, code), mapping.money(b, code))
                for (cat, rate, code), (a, b) in sorted(
                    rows.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[0][2])
                )
            ),
            intra_community=tuple(
                views.IntraCommunityRow(
                    number, code, mapping.money(goods, code), mapping.money(services, code)
                )
                for (number, code), (goods, services) in sorted(ic.items())
            ),
            oss=tuple(
                views.OssRow(country, rate, code, mapping.money(a, code), mapping.money(b, code))
                for (country, rate, code), (a, b) in sorted(
                    oss.items(), key=lambda kv: (kv[0][0], kv[0][1])
                )
            ),
        )


def _day(value: dt.date | str | None) -> dt.date:
    assert value is not None  # issued documents have their issue date
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _add(totals: dict[_K, list[int]], key: _K, first: int, second: int) -> None:
    pair = totals.setdefault(key, [0, 0])
    pair[0] += first
    pair[1] += second


# The day totals the issue trigger keeps (migration 0008) give every figure of the VAT summary:
# per category and rate, per buyer VAT number for K/AE, per Member State for OSS. '' is "none".
_VAT_SUMS = text(
    """
    SELECT category, rate, currency, NULLIF(tax_country, ''), NULLIF(seller_country, ''),
           CASE WHEN category IN ('K', 'AE') THEN NULLIF(buyer_vat_number, '') END,
           SUM(taxable_minor), SUM(tax_minor)
    FROM vat_day_totals
    WHERE shop_id = :shop AND issue_date BETWEEN :start AND :end
    GROUP BY 1, 2, 3, 4, 5, 6
    """
)
