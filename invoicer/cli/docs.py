"""docs/cli.md, generated from the commands' own help texts (scripts/gen-cli-docs).

tests/cli/test_cli_docs.py regenerates it and fails when the committed file is stale.
"""

from __future__ import annotations

import click


def _walk(command: click.Command, ctx: click.Context, path: list[str]) -> list[str]:
    lines: list[str] = []
    name = " ".join(path)
    formatter = ctx.make_formatter()
    formatter.width = 100
    command.format_help(ctx, formatter)
    help_text = formatter.getvalue().rstrip()
    level = "#" * min(len(path) + 1, 4)
    lines += [f"{level} `{name}`", "", "```", help_text, "```", ""]
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is None or sub.hidden:
                continue
            sub_ctx = click.Context(sub, info_name=sub_name, parent=ctx)
            lines += _walk(sub, sub_ctx, [*path, sub_name])
    return lines


def render() -> str:
    from invoicer.cli import cli

    # The real context settings (-h as well as --help): click caches each command's help option
    # from the first context that asks, so a bare Context would make the output order-dependent.
    ctx = click.Context(cli, info_name="invoicer", **cli.context_settings)
    header = [
        "# The `invoicer` command",
        "",
        "Generated from the commands' help texts by `scripts/gen-cli-docs`; do not edit by hand.",
        "Every command that prints data accepts `--json`; errors go to standard error with a",
        "non-zero exit status (1 for input the user can fix, 2 for a mistyped command or option,",
        "3 when something is not found, 4 when `audit verify` finds the records tampered with,",
        "5 when the database file is damaged); with `--json` an error is one JSON object,",
        '`{"error": {"type", "code", "message", "field"}}` (docs/numbers.md, "Errors").',
        "The database is `--db PATH`, else `INVOICER_DB`, else `invoicer.sqlite` in the user",
        "data folder.",
        "",
    ]
    return "\n".join(header + _walk(cli, ctx, ["invoicer"])).rstrip() + "\n"
