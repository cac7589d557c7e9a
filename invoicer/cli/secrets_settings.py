"""`invoicer secrets set|status|delete` and `invoicer settings show|set`."""

from __future__ import annotations

import sys

import click

from invoicer.cli.common import emit_json, json_option, table


@click.group("secrets")
def secrets() -> None:
    """Keys kept in the OS keyring (never shown, never stored elsewhere)."""


@secrets.command("set")
@click.argument("name")
def set_(name: str) -> None:
    """Store secret NAME: typed at a hidden prompt, or read from standard input."""
    from invoicer.integrations.secrets import set_secret

    if sys.stdin.isatty():
        value = click.prompt(f"Value of {name}", hide_input=True, confirmation_prompt=False)
    else:
        value = sys.stdin.readline().strip()
    set_secret(name, value)
    click.echo(f"Stored {name} in the keyring.")


@secrets.command("status")
@json_option
def status(as_json: bool) -> None:
    """Which secrets are set and which keyring is used (values are never shown)."""
    from invoicer.integrations.secrets import SECRETS
    from invoicer.integrations.secrets import status as get_status

    report = get_status()
    if as_json:
        emit_json(report)
        return
    click.echo(f"Keyring: {report.backend}" + ("" if report.usable else " (not usable)"))
    if report.problem:
        click.echo(report.problem, err=True)
    table(
        [(name, "set" if report.stored[name] else "not set", SECRETS[name]) for name in SECRETS],
        ["secret", "state", "used for"],
    )


@secrets.command("delete")
@click.argument("name")
def delete(name: str) -> None:
    """Remove secret NAME from the keyring."""
    from invoicer.integrations.secrets import delete_secret

    removed = delete_secret(name)
    click.echo(f"Deleted {name}." if removed else f"{name} was not set.")


@click.group("settings")
def settings() -> None:
    """Show or change settings (a TOML file; INVOICER_* variables override it)."""


@settings.command("show")
@json_option
def show(as_json: bool) -> None:
    """Every setting with its value, where the value comes from, and what it does."""
    from invoicer.services.settings import SettingsService

    service = SettingsService()
    rows = service.describe()
    if as_json:
        emit_json({name: {"value": value, "source": source} for name, value, source, _ in rows})
        return
    table(
        [(name, value, source, doc) for name, value, source, doc in rows],
        ["setting", "value", "from", "meaning"],
    )
    click.echo(f"\nFile: {service.path}")


@settings.command("set")
@click.argument("pairs", nargs=-1, required=True, metavar="NAME=VALUE...")
def set_settings(pairs: tuple[str, ...]) -> None:
    """Change settings, e.g. `invoicer settings set vies_policy=warn vies_timeout_seconds=20`.

    One setting may also be given as two words: `invoicer settings set vies_policy warn`.
    """
    from invoicer.services.commands import SettingsChanges
    from invoicer.services.settings import SettingsService

    if len(pairs) == 2 and not any("=" in pair for pair in pairs):
        pairs = (f"{pairs[0]}={pairs[1]}",)
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(
                f"{pair!r}: use NAME=VALUE, e.g. vies_policy=warn", param_hint="NAME=VALUE"
            )
        values[name.strip()] = value
    SettingsService().set(SettingsChanges(**values))
    click.echo("Settings saved.")
