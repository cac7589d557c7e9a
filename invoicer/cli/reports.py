"""`invoicer report revenue|aging|vat`."""

from __future__ import annotations

import datetime as dt

import click

from invoicer.cli.common import emit_json, json_option, services, table


@click.group("report")
def report() -> None:
    """Revenue, receivables and VAT reports."""


@report.command("revenue")
@click.option("--year", type=int, help="Calendar year (default: this year).")
@json_option
@click.pass_context
def revenue(ctx: click.Context, /, year: int | None, as_json: bool) -> None:
    """Revenue per month (net of credit notes), and the last 30 days."""
    with services(ctx) as svc:
        months = svc.reports.revenue_by_month(year)
        dashboard = svc.reports.dashboard()
    if as_json:
        emit_json(
            {
                "months": months,
                "last_30_days": dashboard.revenue_30d,
                "currency": dashboard.currency,
            }
        )
        return
    table(
        [(m.month, m.count, m.net, m.vat, m.gross, m.currency) for m in months],
        ["month", "docs", "net", "VAT", "gross", "cur"],
    )
    click.echo(f"\nLast 30 days: {dashboard.revenue_30d} {dashboard.currency} net")


@report.command("aging")
@click.option("--as-of", "as_of", help="Date to age against (YYYY-MM-DD).")
@json_option
@click.pass_context
def aging(ctx: click.Context, /, as_of: str | None, as_json: bool) -> None:
    """Open receivables by how late they are."""
    day = _date(as_of, "--as-of")
    with services(ctx) as svc:
        rows = svc.reports.aging(day)
    if as_json:
        emit_json(rows)
        return
    table(
        [(r.bucket, r.count, r.amount, r.currency) for r in rows],
        ["days overdue", "invoices", "open", "cur"],
    )


@report.command("vat")
@click.option("--from", "start", help="First day (default: start of this quarter).")
@click.option("--to", "end", help="Last day (default: end of this quarter).")
@json_option
@click.pass_context
def vat(ctx: click.Context, /, start: str | None, end: str | None, as_json: bool) -> None:
    """VAT summary: per category and rate, intra-Community supplies, OSS sales."""
    today = dt.date.today()
    q_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    q_end = dt.date(
        q_start.year + (q_start.month + 3 > 12), (q_start.month + 2) % 12 + 1, 1
    ) - dt.timedelta(days=1)
    first = _date(start, "--from") or q_start
    last = _date(end, "--to") or q_end
    with services(ctx) as svc:
        summary = svc.reports.vat_summary(first, last)
    if as_json:
        emit_json(summary)
        return
    click.echo(f"VAT summary {summary.start} to {summary.end}\n")
    table(
        [(r.category, f"{r.rate}%", r.taxable, r.tax, r.currency) for r in summary.rows],
        ["category", "rate", "taxable", "VAT", "cur"],
    )
    if summary.intra_community:
        click.echo("\nIntra-Community supplies (recapitulative statement)")
        table(
            [
                (r.buyer_vat_number, r.goods, r.services, r.currency)
                for r in summary.intra_community
            ],
            ["buyer VAT number", "goods (K)", "services (AE)", "cur"],
        )
    if summary.oss:
        click.echo("\nOSS: distance sales taxed in other Member States")
        table(
            [(r.country, f"{r.rate}%", r.taxable, r.tax, r.currency) for r in summary.oss],
            ["country", "rate", "taxable", "VAT", "cur"],
        )


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint=option) from None
