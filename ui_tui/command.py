"""`invoicer tui`: the terminal UI on the configured database, or on demo data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click


@click.command("tui")
@click.option(
    "--demo",
    is_flag=True,
    help="Open a throwaway database filled with demo data (deleted on exit).",
)
@click.option("--invoices", default=200, show_default=True, help="Demo invoices to generate.")
@click.pass_context
def tui(ctx: click.Context, demo: bool, invoices: int) -> None:
    """Open the terminal UI."""
    if demo:
        from invoicer.services.app import open_services
        from invoicer.services.demo import fill_demo
        from ui_tui.app import InvoicerApp

        with (
            tempfile.TemporaryDirectory(prefix="invoicer-demo-") as folder,
            open_services(Path(folder) / "demo.sqlite") as svc,
        ):
            click.echo(f"Generating {invoices} demo invoices…", err=True)
            fill_demo(svc, invoices=invoices, seed=1)
            InvoicerApp(svc).run()
        return
    from ui_tui.launch import tui_app

    db_path = (ctx.obj or {}).get("db_path")
    with tui_app(Path(db_path) if db_path else None) as app:
        app.run()
