"""`invoicer serve`: run the remote API; `serve create-superadmin`, `serve set-secret`,
`serve watch-chain`.

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
@click.option(
    "--no-chain-watch",
    is_flag=True,
    help="Do not scan the chain for the shops that take crypto (run `serve watch-chain` "
    "elsewhere instead).",
)
@click.option(
    "--chain-watch-interval",
    type=click.IntRange(1, 3600),
    default=15,
    show_default=True,
    help="Seconds between the chain watcher's scans.",
)
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
    no_chain_watch: bool,
    chain_watch_interval: int,
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
    try:
        server.run(
            plan.config,
            host,
            port,
            workers,
            access_log=not no_access_log,
            chain_watch=not no_chain_watch,
            chain_interval=chain_watch_interval,
        )
    except server.ServerRefused as refused:
        click.echo(f"Error: {refused}", err=True)
        raise click.exceptions.Exit(EXIT_REFUSED) from None


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


@serve.command("watch-chain")
@click.option("--once", is_flag=True, help="Scan once and exit (for cron or a script).")
@click.option(
    "--interval",
    type=click.IntRange(1, 3600),
    default=15,
    show_default=True,
    help="Seconds between scans.",
)
@click.option("--database-url", default=None, help="As for `invoicer serve`.")
@click.pass_context
def watch_chain(ctx: click.Context, /, once: bool, interval: int, database_url: str | None) -> None:
    """Scan the chain for every shop that takes crypto and book confirmed transfers that pay
    an open invoice, once each (as `invoicer pay watch` does for one shop; Ctrl+C stops)."""
    import os

    from invoicer.server import cli as server

    parent = os.environ.get(server.ENV_WATCH_PARENT)
    try:
        for scans in server.watch_chain(
            database_url or ctx.obj.get("database_url"),
            once=once,
            interval=interval,
            parent=int(parent) if parent and parent.isdigit() else None,
        ):
            for done in scans:
                if done.problem:
                    click.echo(f"shop {done.shop_id}: {done.problem}", err=True)
                elif done.report is not None and (done.report.booked or not parent):
                    booked = ", ".join(b.invoice_number for b in done.report.booked) or "nothing"
                    click.echo(
                        f"shop {done.shop_id}: blocks {done.report.from_block}-"
                        f"{done.report.to_block}, booked {booked}"
                    )
    except server.ServerRefused as refused:
        click.echo(f"Error: {refused}", err=True)
        raise click.exceptions.Exit(EXIT_REFUSED) from None
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
