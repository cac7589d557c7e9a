"""The `invoicer` command.

Subcommands live one area per module (`invoicer/cli/<area>.py`) and are imported only when
invoked, so `invoicer --help` stays fast: no SQLAlchemy, Qt, Textual, fpdf2, zeep or web3
is loaded to print help. Command modules import services inside their functions.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from invoicer import __version__

# name -> (module, attribute, one-line help). Kept here so `--help` lists every command
# without importing any of them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "tui": ("ui_tui.command", "tui", "Open the terminal UI (--demo for a throwaway demo)."),
    "init": ("invoicer.cli.shop", "init", "Create the database and the shop profile."),
    "shop": ("invoicer.cli.shop", "shop", "Show or change the shop profile."),
    "customer": ("invoicer.cli.customers", "customer", "Manage customers."),
    "product": ("invoicer.cli.products", "product", "Manage products and services."),
    "invoice": ("invoicer.cli.invoices", "invoice", "Create, issue and inspect invoices."),
    "recurring": ("invoicer.cli.recurring", "recurring", "Recurring invoices (subscriptions)."),
    "quote": ("invoicer.cli.quotes", "quote", "Quotes (estimates): issue, accept, invoice."),
    "credit-note": ("invoicer.cli.documents_cmds", "credit_note", "Credit an issued invoice."),
    "payment": ("invoicer.cli.documents_cmds", "payment", "Record payments received."),
    "pay": ("invoicer.cli.pay", "pay", "Bank statements, Stripe links, crypto payments."),
    "report": ("invoicer.cli.reports", "report", "Revenue, receivables and VAT reports."),
    "audit": ("invoicer.cli.documents_cmds", "audit", "Verify the tamper-evident audit trail."),
    "device": ("invoicer.cli.devices", "device", "The shop's devices and their number series."),
    "import": ("invoicer.cli.transfer", "import_", "Import customers or products from CSV."),
    "export": ("invoicer.cli.transfer", "export", "Export everything as JSON."),
    "backup": ("invoicer.cli.transfer", "backup", "Back up the database, or restore a backup."),
    "demo": ("invoicer.cli.demo", "demo", "Fill a new database with a sample shop."),
    "remind": ("invoicer.cli.mail", "remind", "E-mail reminders for overdue invoices."),
    "mail-template": ("invoicer.cli.mail", "mail_template", "E-mail subjects and bodies."),
    "einvoice": ("invoicer.cli.invoice_documents", "einvoice", "Read e-invoices you received."),
    "vat": ("invoicer.cli.vat", "vat", "Decide VAT for an invoice; check VAT numbers."),
    "secrets": ("invoicer.cli.secrets_settings", "secrets", "Keys in the OS keyring."),
    "settings": ("invoicer.cli.secrets_settings", "settings", "Show or change settings."),
    "gui": ("ui_qt.command", "gui", "Open the desktop app (--demo: a sample shop)."),
    "serve": ("invoicer.cli.serve", "serve", "Run the Invoicer API server."),
    "sync": ("invoicer.cli.sync", "sync", "Sync with the shop's server; set up, status, devices."),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            module_name, attribute, _ = self._lazy[cmd_name]
            command: click.Command = getattr(importlib.import_module(module_name), attribute)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text comes from the table, so listing commands imports nothing.
        rows = [(name, self._lazy[name][2]) for name in sorted(self._lazy)]
        rows += [
            (name, cmd.get_short_help_str())
            for name, cmd in sorted(self.commands.items())
            if name not in self._lazy
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(sorted(rows))


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="invoicer")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="INVOICER_DB",
    help="The database file (default: the user data dir; env INVOICER_DB).",
)
@click.pass_context
def cli(ctx: click.Context, /, db_path: str | None) -> None:
    """Invoicer: local-first invoicing for small merchants."""
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into a message and exit status 1."""
    from invoicer.cli.errors import run

    sys.exit(run(cli, argv))
