"""`invoicer recurring new|list|show|pause|resume|edit|run`: subscriptions billed by the
catch-up (docs/recurring.md)."""

from __future__ import annotations

from typing import Any

import click

from invoicer.cli.common import emit_json, fields_from, json_option, services, show_fields, table
from invoicer.domain.errors import ValidationError

FIELDS = [
    "name",
    "frequency",
    "every",
    "day_of_month",
    "start_date",
    "end_after",
    "end_on",
    "due_days",
    "notes",
]
FLAGS = ["auto_issue", "email"]
LINE_HELP = (
    'A line every invoice gets: "DESCRIPTION;UNIT PRICE[;QUANTITY[;RATE CLASS]]" (repeat '
    "for more lines; on edit, the lines given replace all of them)."
)


def template_options(func: Any) -> Any:
    options = [
        click.option("--name", help="A name for the template (default: customer, frequency)."),
        click.option(
            "--frequency",
            help="weekly, monthly, quarterly, yearly, or months (with --every N).",
        ),
        click.option("--every", help="For --frequency months: every how many months (1-120)."),
        click.option(
            "--day",
            "day_of_month",
            help="Day of the month (1-31; the 31st is the last day of shorter months).",
        ),
        click.option("--start", "start_date", help="The first period's day (YYYY-MM-DD)."),
        click.option("--end-after", "end_after", help="End after this many invoices."),
        click.option("--end-on", "end_on", help="No period after this day (YYYY-MM-DD)."),
        click.option("--due-days", "due_days", help="Days until due (0-365)."),
        click.option("--notes", help="Notes printed on every invoice."),
        click.option(
            "--auto-issue/--draft",
            "auto_issue",
            default=None,
            help="Issue each invoice when made, or leave a draft (the default).",
        ),
        click.option(
            "--email/--no-email", "email", default=None, help="E-mail each issued invoice."
        ),
        click.option("--line", "lines", multiple=True, help=LINE_HELP),
        click.option(
            "--product",
            "products",
            multiple=True,
            help='A line from a product: "PRODUCT_ID[;QUANTITY]" (repeatable).',
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _lines(svc: Any, lines: tuple[str, ...], products: tuple[str, ...]) -> list[Any] | None:
    from invoicer.services.commands import NewLine

    if not lines and not products:
        return None
    made = []
    for index, spec in enumerate(lines):
        parts = spec.split(";")
        if not 2 <= len(parts) <= 4:
            raise ValidationError.single(
                f"lines[{index}]",
                "format",
                f'--line {spec!r}: write "DESCRIPTION;UNIT PRICE[;QUANTITY[;RATE CLASS]]".',
            )
        values = dict(
            zip(("description", "unit_price", "quantity", "rate_class"), parts, strict=False)
        )
        made.append(NewLine(**{k: v.strip() for k, v in values.items()}))
    for spec in products:
        product_id, _, quantity = spec.partition(";")
        values = {"product_id": svc.resolve("product", product_id.strip())}
        if quantity.strip():
            values["quantity"] = quantity.strip()
        made.append(NewLine(**values))
    return made


def _data(svc: Any, options: dict[str, Any]) -> dict[str, Any]:
    data = fields_from(options, [*FIELDS, *FLAGS])
    lines = _lines(svc, options["lines"], options["products"])
    if lines is not None:
        data["lines"] = lines
    return data


@click.group("recurring")
def recurring() -> None:
    """Recurring invoices: templates billed each period (run at every start, or `run`)."""


@recurring.command("new")
@click.argument("customer_id")
@template_options
@json_option
@click.pass_context
def new(ctx: click.Context, /, customer_id: str, as_json: bool, **options: Any) -> None:
    """Set up a recurring invoice for CUSTOMER_ID."""
    from invoicer.services.commands import NewRecurring

    with services(ctx) as svc:
        data = _data(svc, options)
        made = svc.recurring.create(
            NewRecurring(customer_id=svc.resolve("customer", customer_id), **data)
        )
    if as_json:
        emit_json(made)
    else:
        click.echo(f"Recurring template {made.id} ({made.name}); first invoice {made.next_due}.")


@recurring.command("edit")
@click.argument("template_id")
@template_options
@json_option
@click.pass_context
def edit(ctx: click.Context, /, template_id: str, as_json: bool, **options: Any) -> None:
    """Change a template; invoices already made stay as they are."""
    from invoicer.services.commands import RecurringChanges

    with services(ctx) as svc:
        data = _data(svc, options)
        changed = svc.recurring.update(
            svc.resolve("recurring", template_id), RecurringChanges(**data)
        )
    emit_json(changed) if as_json else click.echo(f"Recurring template {changed.name} updated.")


@recurring.command("list")
@json_option
@click.pass_context
def list_(ctx: click.Context, /, as_json: bool) -> None:
    """List recurring templates and when each bills next."""
    with services(ctx) as svc:
        templates = svc.recurring.list()
    if as_json:
        emit_json(templates)
        return
    table(
        [
            (
                t.id[:8],
                t.name,
                t.customer_name,
                _every(t),
                "paused" if t.paused else (t.next_due or "ended"),
                t.made,
                "issue" if t.auto_issue else "draft",
                "" if t.runs_here else "other device",
            )
            for t in templates
        ],
        ["id", "name", "customer", "every", "next", "made", "makes", "runs on"],
    )


def _every(template: Any) -> str:
    if template.frequency == "months":
        return f"{template.every} months"
    return str(template.frequency)


@recurring.command("show")
@click.argument("template_id")
@json_option
@click.pass_context
def show(ctx: click.Context, /, template_id: str, as_json: bool) -> None:
    """Show a template, its lines and the invoices made from it."""
    with services(ctx) as svc:
        found = svc.recurring.get(svc.resolve("recurring", template_id))
        runs = svc.recurring.runs(found.id)
    if as_json:
        emit_json({"template": found, "made": runs})
        return
    show_fields(found)
    table(
        [(ln.description, ln.quantity, ln.unit_price, ln.rate_class) for ln in found.lines],
        ["line", "qty", "unit price", "rate class"],
    )
    if runs:
        table(
            [
                (r.period_start, r.period_end, r.number or f"(draft {r.invoice_id[:8]})", r.note)
                for r in runs
            ],
            ["from", "to", "invoice", "note"],
        )


@recurring.command("pause")
@click.argument("template_id")
@click.pass_context
def pause(ctx: click.Context, /, template_id: str) -> None:
    """Make nothing from a template until it is resumed."""
    with services(ctx) as svc:
        done = svc.recurring.pause(svc.resolve("recurring", template_id))
    click.echo(f"Recurring template {done.name} paused.")


@recurring.command("resume")
@click.argument("template_id")
@click.pass_context
def resume(ctx: click.Context, /, template_id: str) -> None:
    """Bill a paused template again (the periods due meanwhile are made at the next run)."""
    with services(ctx) as svc:
        done = svc.recurring.resume(svc.resolve("recurring", template_id))
    click.echo(f"Recurring template {done.name} resumed; next invoice {done.next_due}.")


@recurring.command("run")
@json_option
@click.pass_context
def run(ctx: click.Context, /, as_json: bool) -> None:
    """Make every recurring invoice due since the last run, each period once."""
    from invoicer.services.recurring.catch_up import run_due

    with services(ctx) as svc:
        report = run_due(svc)
    if as_json:
        emit_json(report)
        return
    for sentence in report.sentences():
        click.echo(sentence)
    click.echo(report.summary())
    if report.elsewhere:
        names = ", ".join(report.elsewhere)
        click.echo(f"Due on the device that runs them: {names}.")
    if report.failed:
        ctx.exit(1)
