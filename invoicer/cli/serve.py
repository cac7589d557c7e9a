"""`invoicer serve`: run the remote API; `serve create-superadmin`, `serve set-secret`.

Only the wiring lives here; invoicer/server/cli.py does the work."""

from __future__ import annotations

import sys

import click

EXIT_REFUSED = 2  # the server cannot start as configured (as for a usage error)


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--database-url",
    default=None,
    help="postgresql+psycopg://... (env INVOICER_DATABASE_URL; default: server.sqlite in "
    "the data folder).",
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
)
@click.option(
    "--dev", is_flag=True, help="Development mode: no signing secret needed, cookies over http."
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="URL",
    help="A browser origin allowed to call the API (repeatable).",
)
@click.option("--no-access-log", is_flag=True, help="Do not log each request.")
@click.pass_context
def serve(
    ctx: click.Context,
    /,
    host: str,
    port: int,
    database_url: str | None,
    workers: int,
    dev: bool,
    cors_origins: tuple[str, ...],
    no_access_log: bool,
) -> None:
    """Run the Invoicer API server (FastAPI on uvicorn).

    Production mode is the default: it needs a signing secret, from INVOICER_JWT_SECRET or
    the keyring (`invoicer serve set-secret`). OpenAPI at /openapi.json, docs at /docs.
    """
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url
    if ctx.invoked_subcommand is not None:
        return
    from invoicer.server import cli as server

    try:
        plan = server.plan(database_url, dev=dev, cors_origins=cors_origins)
        server.migrate(plan.config.database)
    except server.ServerRefused as refused:
        click.echo(f"Error: {refused}", err=True)
        raise click.exceptions.Exit(EXIT_REFUSED) from None
    for line in server.announce(plan.config, host, port, workers, plan.generated_secret):
        click.echo(line)
    sys.stdout.flush()
    server.run(plan.config, host, port, workers, access_log=not no_access_log)


@serve.command("create-superadmin")
@click.option("--email", required=True, help="The superadmin's e-mail address.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
@click.option("--database-url", default=None, help="As for `invoicer serve`.")
@click.pass_context
def create_superadmin(
    ctx: click.Context, /, email: str, password_stdin: bool, database_url: str | None
) -> None:
    """Create the platform superadmin (lists shops and users, suspends shops)."""
    from invoicer.server import cli as server

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    address = server.create_superadmin(database_url or ctx.obj.get("database_url"), email, password)
    click.echo(f"Created the superadmin {address}.")


@serve.command("set-secret")
@click.option("--replace", is_flag=True, help="Replace a stored secret (ends every sign-in).")
def set_secret(replace: bool) -> None:
    """Store a new random signing secret in the OS keyring (never shown)."""
    from invoicer.server import cli as server

    if not server.set_secret(replace):
        click.echo("A signing secret is already stored; --replace makes a new one.", err=True)
        raise click.exceptions.Exit(1)
    click.echo("Stored a new signing secret in the keyring (server_jwt_secret).")
