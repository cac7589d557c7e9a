"""`invoicer demo`: a new database filled with a plausible sample shop."""

from __future__ import annotations

import click

from invoicer.cli.common import services


@click.command("demo")
@click.option(
    "--invoices",
    default=200,
    show_default=True,
    help="How many invoices (0 to 10,000; the more, the longer it takes).",
)
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.pass_context
def demo(ctx: click.Context, /, invoices: int, seed: int) -> None:
    """Fill a NEW database with a sample shop, customers, products and invoices."""
    from invoicer.services.demo import fill_demo

    with services(ctx, create=True) as svc:
        if svc.shop.is_set_up() or svc.customers.list(limit=1).total:
            raise click.ClickException(
                f"{svc.path} already holds data; the demo only fills a new database "
                "(use --db to pick a new file)."
            )
        fill_demo(svc, invoices=invoices, seed=seed)
        total = svc.invoices.list(limit=1).total
    click.echo(f"Demo shop created in {svc.path} with {total} documents.")
