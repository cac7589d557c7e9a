"""The VAT breakdown and the totals of an invoice, as computed by the services."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ui_tui import format as fmt


class TotalsPanel(Static):
    DEFAULT_CSS = """
    TotalsPanel { height: auto; padding: 0 1; }
    """

    def show(self, invoice: Any) -> None:
        self.update(totals_table(invoice))


def totals_table(invoice: Any) -> Table:
    code = invoice.currency
    outer = Table.grid(padding=(0, 3), expand=True)
    outer.add_column(ratio=3)
    outer.add_column(ratio=2)

    vat = Table(box=None, padding=(0, 1), show_edge=False, expand=True, header_style="dim")
    vat.add_column("VAT")
    vat.add_column("Rate", justify="right")
    vat.add_column("Taxable", justify="right")
    vat.add_column("Tax", justify="right")
    for group in invoice.vat_groups:
        label = str(group.category)
        if getattr(group, "exemption_code", None):
            label += f" {group.exemption_code}"
        vat.add_row(label, f"{group.rate}%", fmt.money(group.taxable), fmt.money(group.tax))
        if getattr(group, "exemption_text", None):
            vat.add_row(Text(group.exemption_text, style="dim italic"), "", "", "")
    if not invoice.vat_groups:
        vat.add_row(Text("No lines yet", style="dim"), "", "", "")

    sums = Table.grid(padding=(0, 1), expand=True)
    sums.add_column(style="dim")
    sums.add_column(justify="right")
    sums.add_row("Net", fmt.money(invoice.net, code))
    sums.add_row("VAT", fmt.money(invoice.vat, code))
    sums.add_row(Text("Total", style="bold"), Text(fmt.money(invoice.gross, code), style="bold"))
    if getattr(invoice, "number", None) and invoice.kind == "invoice":
        sums.add_row("Paid", fmt.money(invoice.paid, code))
        style = "bold red" if invoice.status == "overdue" else "bold"
        sums.add_row(
            Text("Balance", style=style), Text(fmt.money(invoice.balance, code), style=style)
        )
    outer.add_row(vat, sums)
    return outer
