"""`invoicer gui`: the desktop app. Imported only when the command runs (PySide6 is heavy)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click


def display_available() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True  # Windows/macOS always have one; an explicit platform plugin decides
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@click.command("gui")
@click.option("--demo", is_flag=True, help="Open a throwaway database filled with a sample shop.")
@click.option("--invoices", default=200, show_default=True, help="Invoices in the --demo shop.")
@click.option(
    "--smoke",
    is_flag=True,
    hidden=True,
    help="Quit as soon as the window is shown (packaging smoke test, benchmark).",
)
@click.pass_context
def gui(ctx: click.Context, /, demo: bool, invoices: int, smoke: bool) -> None:
    """Open the desktop app on the configured database."""
    from invoicer.services.app import open_services

    if not display_available():
        # Without this check Qt aborts the whole process (SIGABRT) with a cryptic message.
        raise click.ClickException(
            "No display found (DISPLAY and WAYLAND_DISPLAY are unset). Run `invoicer gui` "
            "from a desktop session, or use the terminal app / the CLI."
        )
    db_path: str | None = (ctx.obj or {}).get("db_path")
    if demo:
        from platformdirs import user_cache_dir

        # A new file every time, in the cache dir: the demo never touches the user's data.
        cache = Path(user_cache_dir("invoicer", appauthor=False))
        cache.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="demo-", dir=cache))
        db_path = str(folder / "demo.sqlite3")
        click.echo(f"Demo database: {db_path}")
    # The database is opened (and migrated) before the QApplication exists, as vorta does.
    svc = open_services(db_path, on_upgrade=lambda note: click.echo(note, err=True))
    if demo:
        from invoicer.services.demo import fill_demo

        fill_demo(svc, invoices=invoices, seed=1)
    from ui_qt.app import run

    try:
        code = run(svc, smoke=smoke)
    finally:
        svc.close()
    ctx.exit(code)
