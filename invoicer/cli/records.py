"""The commands customers and products share: add, list, show, edit and archive.

`record_group(spec)` builds them for one kind of record from its options, its flag, its list
columns and its words; customers.py and products.py hold only what differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import click

from invoicer.cli.common import (
    emit_json,
    fields_from,
    id_only_option,
    json_option,
    services,
    show_fields,
    table,
)

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


@dataclass(frozen=True)
class RecordSpec:
    kind: str  # "customer": the group's name and the kind services.resolve knows
    service: str  # "customers": the attribute of the services
    help: str  # the group's help
    add_help: str
    options: Sequence[tuple[str, str]]  # (field, help) of the text options, in order
    flag: Decorator  # the one on/off option (is_business, art59_service)
    flag_name: str
    search_help: str
    columns: Callable[[Any], tuple[object, ...]]
    headers: Sequence[str]
    archive_help: str

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.options] + [self.flag_name]

    def field_options(self, func: Callable[..., Any]) -> Callable[..., Any]:
        for name, help_text in reversed(self.options):
            func = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(func)
        return self.flag(func)


def commands_of(kind: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The (new, changes) command models of a kind of record; imported when a command runs."""
    from invoicer.services import commands

    return {
        "customer": (commands.NewCustomer, commands.CustomerChanges),
        "product": (commands.NewProduct, commands.ProductChanges),
    }[kind]


def record_group(spec: RecordSpec) -> click.Group:
    kind, plural = spec.kind, spec.service

    def service(svc: Any) -> Any:
        return getattr(svc, spec.service)

    def resolve(svc: Any, prefix: str) -> str:
        return str(svc.resolve(kind, prefix))

    @click.group(kind, help=spec.help)
    def group() -> None:
        pass

    @group.command("add", help=spec.add_help)
    @spec.field_options
    @json_option
    @id_only_option
    @click.pass_context
    def add(ctx: click.Context, /, as_json: bool, id_only: bool, **options: Any) -> None:
        with services(ctx) as svc:
            new, _ = commands_of(kind)
            row = service(svc).add(new(**fields_from(options, spec.names)))
        if id_only:
            click.echo(row.id)
        else:
            emit_json(row) if as_json else click.echo(f"Added {kind} {row.name} ({row.id}).")

    @group.command("list", help=f"List {plural}.")
    @click.option("--search", help=spec.search_help)
    @click.option("--archived", is_flag=True, help=f"Include archived {plural}.")
    @click.option("--limit", default=50, show_default=True, help="Rows to show (1 to 1,000).")
    @click.option("--offset", default=0, help="Rows to skip first (0 to 1,000,000,000).")
    @json_option
    @click.pass_context
    def list_(
        ctx: click.Context,
        /,
        search: str | None,
        archived: bool,
        limit: int,
        offset: int,
        as_json: bool,
    ) -> None:
        with services(ctx) as svc:
            page = service(svc).list(search, archived, offset, limit)
        if as_json:
            emit_json(page)
            return
        table([spec.columns(row) for row in page.items], list(spec.headers))
        click.echo(f"{len(page.items)} of {page.total}")

    @group.command("show", help=f"Show one {kind}.")
    @click.argument(f"{kind}_id")
    @json_option
    @click.pass_context
    def show(ctx: click.Context, /, as_json: bool, **ids: str) -> None:
        with services(ctx) as svc:
            row = service(svc).get(resolve(svc, ids[f"{kind}_id"]))
        emit_json(row) if as_json else show_fields(row)

    @group.command("edit", help=f"Change fields of a {kind}.")
    @click.argument(f"{kind}_id")
    @spec.field_options
    @json_option
    @click.pass_context
    def edit(ctx: click.Context, /, as_json: bool, **options: Any) -> None:
        record_id = options.pop(f"{kind}_id")
        data = fields_from(options, spec.names)
        if not data:
            raise click.UsageError("Give at least one field to change.")
        with services(ctx) as svc:
            _, changes = commands_of(kind)
            row = service(svc).update(resolve(svc, record_id), changes(**data))
        emit_json(row) if as_json else click.echo(f"Updated {row.name}.")

    @group.command("archive", help=spec.archive_help)
    @click.argument(f"{kind}_id")
    @click.pass_context
    def archive(ctx: click.Context, /, **ids: str) -> None:
        with services(ctx) as svc:
            row = service(svc).archive(resolve(svc, ids[f"{kind}_id"]))
        click.echo(f"Archived {row.name}.")

    return group
