"""`invoicer sync`: set up this store as a device of a shop's server, sync it, show its state,
list and revoke the shop's devices (docs/sync.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from invoicer.cli.common import emit_json, json_option, services, table

if TYPE_CHECKING:
    from invoicer.services.sync.views import SyncReport


LABELS = {"push": "Sending   ", "pull": "Receiving "}


class Bars:
    """A click progress bar per phase (push, pull), opened once its total is known."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}
        self.done: dict[str, int] = {}
        self.total: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        bar = self.bars.get(phase)
        if bar is None:
            if not total:
                return
            bar = self.bars[phase] = click.progressbar(
                length=total, label=LABELS.get(phase, phase), file=sys.stderr
            )
            self.done[phase], self.total[phase] = 0, total
        reached = min(done, self.total[phase])
        bar.update(max(0, reached - self.done[phase]))
        self.done[phase] = reached

    def finish(self) -> None:
        for bar in self.bars.values():
            bar.render_finish()


def _summary(report: SyncReport) -> str:
    parts = []
    if report.pushed:
        parts.append(f"sent {report.pushed}")
    if report.pulled:
        parts.append(f"received {report.pulled} ({report.applied} new here)")
    if report.refused:
        parts.append(f"{report.refused} refused")
    head = (", ".join(parts).capitalize() + ". ") if parts else ""
    return head + report.status.message


def _done(report: SyncReport) -> None:
    click.echo(_summary(report))
    status = report.status
    if status.last_error or status.revoked or status.quarantined:  # not synced this time
        click.get_current_context().exit(1)


@click.group(invoke_without_command=True)
@click.pass_context
def sync(ctx: click.Context, /) -> None:
    """Sync this store with the shop's server: send this device's changes, receive the
    others'. Without a subcommand, runs one sync and prints a one-line summary (exit status
    1 when it could not sync: offline, revoked, refused by the server)."""
    if ctx.invoked_subcommand is not None:
        return
    with services(ctx) as svc:
        report = svc.sync.run()
    _done(report)


def _secret_from_stdin(what: str, from_stdin: bool) -> str:
    if from_stdin:
        value = sys.stdin.readline().strip()
    else:
        value = click.prompt(what, hide_input=True, confirmation_prompt=False)
    if not value:
        raise click.UsageError(f"No {what.lower()} was given.")
    return str(value)


def _credentials(email: str | None, api_key_stdin: bool) -> dict[str, str]:
    if email:
        if api_key_stdin:
            raise click.UsageError("--email and --api-key-stdin exclude each other.")
        password = click.prompt(f"Password of {email}", hide_input=True)
        return {"email": email, "password": password}
    return {"api_key": _secret_from_stdin("API key", api_key_stdin)}


credential_options = [
    click.option("--email", default=None, help="Sign in as this admin (password prompted)."),
    click.option(
        "--api-key-stdin",
        is_flag=True,
        help="Read an admin API key (sk_live_...) from standard input instead of a prompt.",
    ),
]


def _with_credentials(func: Any) -> Any:
    for option in reversed(credential_options):
        func = option(func)
    return func


@sync.command("setup")
@click.argument("url")
@click.option("--name", required=True, help="This device's name, as the shop sees it.")
@_with_credentials
@click.pass_context
def setup(
    ctx: click.Context, /, url: str, name: str, email: str | None, api_key_stdin: bool
) -> None:
    """Register this store as a device of the shop at URL and run the first sync.

    Sign in with an admin's e-mail (--email, password prompted) or an API key (prompted, or
    --api-key-stdin). A store with invoices of its own uploads them; a new device of an
    existing shop starts from an empty store and downloads the shop."""
    bars = Bars()
    # A new device starts from a new, empty store (removed again if the set-up fails).
    from invoicer.services.sync.client import check_target

    check_target(url, name)
    with services(ctx, create=True) as svc:
        svc.sync.check_unlinked()
        credentials = _credentials(email, api_key_stdin)
        try:
            report = svc.sync.setup(url, name=name, progress=bars, **credentials)
        finally:
            bars.finish()
        status = report.status
    click.echo(
        f"This store syncs with {status.server_url} as device {status.device_code} "
        f"({status.device_name})."
    )
    _done(report)


@sync.command("status")
@json_option
@click.pass_context
def status(ctx: click.Context, /, as_json: bool) -> None:
    """When this store last synced, what waits to be sent, what needs attention."""
    with services(ctx) as svc:
        state = svc.sync.status()
    if as_json:
        emit_json(state)
        return
    click.echo(state.message)
    if state.server_url:
        click.echo(f"Server: {state.server_url}  Device: {state.device_code} ({state.device_name})")
    for label, count in (
        ("Waiting to be sent", state.pending),
        ("Conflicts to settle", state.conflicts),
        ("Refused here (kept)", state.refused),
        ("Waiting for a newer Invoicer", state.waiting),
    ):
        if count:
            click.echo(f"{label}: {count}")
    if state.last_error:
        click.echo(f"Last problem: {state.last_error}")


@sync.command("devices")
@json_option
@click.pass_context
def devices(ctx: click.Context, /, as_json: bool) -> None:
    """The shop's devices, as the server knows them."""
    with services(ctx) as svc:
        rows = svc.sync.devices()
    if as_json:
        emit_json(list(rows))
        return
    table(
        [
            (
                r.code,
                r.name,
                r.device_id,
                "revoked" if r.revoked_at else ("quarantined" if r.quarantined else "active"),
                r.last_seen_at,
            )
            for r in rows
        ],
        ("code", "name", "id", "state", "last seen"),
    )


@sync.command("revoke")
@click.argument("device_id")
@_with_credentials
@click.pass_context
def revoke(ctx: click.Context, /, device_id: str, email: str | None, api_key_stdin: bool) -> None:
    """Revoke a device of the shop (an admin's credentials): it can no longer sync nor issue.
    What it issued stays valid; what it issued offline is kept and flagged for review."""
    credentials = _credentials(email, api_key_stdin)
    with services(ctx) as svc:
        row = svc.sync.revoke(device_id, **credentials)
    click.echo(f"Revoked device {row.code} ({row.name}).")


@sync.command("conflicts")
@json_option
@click.pass_context
def conflicts(ctx: click.Context, /, as_json: bool) -> None:
    """Edits made on two devices that no rule could settle: choose with `sync resolve`."""
    with services(ctx) as svc:
        rows = svc.sync.conflicts()
    if as_json:
        emit_json(list(rows))
        return
    if not rows:
        click.echo("No conflicts.")
        return
    for row in rows:
        click.echo(f"{row.id}  {row.label}: {row.field} is now {row.current!r}")
        for value in row.values:
            click.echo(f"    {value.stamp}  {value.value!r}  (device {value.device_id})")


@sync.command("resolve")
@click.argument("conflict_id")
@click.argument("stamp")
@click.pass_context
def resolve(ctx: click.Context, /, conflict_id: str, stamp: str) -> None:
    """Settle conflict CONFLICT_ID with the value written at STAMP (`sync conflicts` lists
    each value's stamp); the next sync takes the choice to every device."""
    with services(ctx) as svc:
        row = svc.sync.resolve(conflict_id, stamp)
    click.echo(f"Settled {row.label}: {row.field}. Run `invoicer sync` to send the choice.")
