"""`invoicer product add|list|show|edit|archive`."""

from __future__ import annotations

import click

from invoicer.cli.records import RecordSpec, record_group

OPTIONS: list[tuple[str, str]] = [
    ("name", "Name."),
    ("description", "Description printed under the name."),
    ("unit_code", "Unit (UN/ECE Rec. 20 code: C62 piece, HUR hour, KGM kilogram, ...)."),
    ("unit_price", "Price per unit, excluding VAT."),
    ("currency", "Currency of the price (ISO 4217)."),
    ("rate_class", "standard, reduced, reduced2, super_reduced, parking, zero or exempt."),
    ("supply_kind", "goods, services or electronic_services."),
    ("sku", "Article number."),
]
SPEC = RecordSpec(
    kind="product",
    service="products",
    help="Manage products and services.",
    add_help="Add a product or service.",
    options=OPTIONS,
    flag=click.option(
        "--art59/--no-art59",
        "art59_service",
        default=None,
        help="A service taxed where a non-EU consumer is (Art. 59: consultancy, advertising...).",
    ),
    flag_name="art59_service",
    search_help="Name or SKU starts with this.",
    columns=lambda p: (
        p.id[:8],
        p.name,
        p.unit_price,
        p.currency,
        p.unit_code,
        p.rate_class,
        p.supply_kind,
    ),
    headers=("id", "name", "price", "cur", "unit", "rate class", "supply"),
    archive_help="Archive a product (kept for the invoices that use it).",
)
product = record_group(SPEC)
