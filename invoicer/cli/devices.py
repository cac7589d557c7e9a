"""`invoicer device register|list`: the devices of the shop and the series they number from."""

from __future__ import annotations

import click

from invoicer.cli.common import emit_json, json_option, services, table


@click.group()
def device() -> None:
    """The devices of the shop, each issuing from its own number series.

    A shop with one device needs none of this: its numbers stay as they are. When a second
    device joins, register the first with `--keep-numbers` and each other with its own code.
    """


@device.command("register")
@click.argument("device_id")
@click.option("--code", required=True, help="A short code you see (1-8 capitals/digits).")
@click.option(
    "--prefix",
    default=None,
    help="What the device's numbers carry (default: the code), e.g. INV-2026-B-000001.",
)
@click.option(
    "--keep-numbers",
    is_flag=True,
    help="Keep the shop's number formats as they are (one device only: the first).",
)
@json_option
@click.pass_context
def register(
    ctx: click.Context,
    /,
    device_id: str,
    code: str,
    prefix: str | None,
    keep_numbers: bool,
    as_json: bool,
) -> None:
    """Register a device (DEVICE_ID: the id its events carry)."""
    if keep_numbers and prefix:
        raise click.UsageError("--keep-numbers and --prefix exclude each other.")
    with services(ctx) as svc:
        row = svc.devices.register(device_id, code, "" if keep_numbers else prefix)
    if as_json:
        emit_json(row)
    else:
        series = f"prefix {row.series_prefix}" if row.series_prefix else "the shop's own numbers"
        click.echo(f"Registered device {row.code} ({row.id}): it issues from {series}.")


@device.command("list")
@json_option
@click.pass_context
def list_(ctx: click.Context, /, as_json: bool) -> None:
    """List the registered devices."""
    with services(ctx) as svc:
        rows = svc.devices.list()
    if as_json:
        emit_json(list(rows))
        return
    table(
        [(r.code, r.series_prefix or "(shop's)", r.id, r.registered_at) for r in rows],
        ("code", "prefix", "id", "registered"),
    )
