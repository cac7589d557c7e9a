"""`alembic upgrade head` on an empty database yields the schema the models describe
(`create_all` plus the triggers of triggers.py), on SQLite and on PostgreSQL: what the
inspector sees (tables, columns and types, keys, unique constraints, indexes) and the
triggers, compared as the database itself prints them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from invoicer.store.database import open_database
from invoicer.store.schema import Base
from invoicer.store.triggers import create_statements
from tests.backends import raw_engine, rows
from tests.pg_server import PgServer

IGNORED_TABLES = {"alembic_version"}


def _normal(sql: str | None) -> str:
    """SQL as SQLite keeps it, without the quoting and spacing that differ by who wrote it."""
    return re.sub(r"\s+", " ", (sql or "").replace('"', "")).strip().lower()


def schema_of(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        inspector = inspect(connection)
        tables: dict[str, Any] = {}
        for table in sorted(set(inspector.get_table_names()) - IGNORED_TABLES):
            columns = [
                (c["name"], str(c["type"]), c["nullable"], _computed(engine, c))
                for c in inspector.get_columns(table)
            ]
            primary = inspector.get_pk_constraint(table)
            tables[table] = {
                "columns": sorted(columns),
                "primary key": tuple(primary["constrained_columns"]),
                "foreign keys": sorted(
                    (
                        fk["name"],
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        tuple(fk["referred_columns"]),
                        str(fk.get("options", {}).get("ondelete")),
                    )
                    for fk in inspector.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(table)
                ),
            }
        if engine.dialect.name == "postgresql":
            indexes = (
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
            triggers = (
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
            )
            functions = (
                "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
            )
            other = {
                "functions": sorted(tuple(r) for r in connection.execute(text(functions))),
                "primary key names": sorted(
                    (t, inspector.get_pk_constraint(t)["name"]) for t in tables
                ),
            }
        else:
            indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            other = {}
        return {
            "tables": tables,
            "indexes": sorted((n, _normal(s)) for n, s in connection.execute(text(indexes))),
            "triggers": sorted((n, _normal(s)) for n, s in connection.execute(text(triggers))),
            **other,
        }


def _computed(engine: Engine, column: Any) -> str:
    computed = column.get("computed")
    if not computed:
        return ""
    if engine.dialect.name == "sqlite":
        # SQLAlchemy reads SQLite's expression out of the CREATE TABLE text, which for columns
        # added by ALTER TABLE runs on into the next one: see test_sqlite_generated_columns.
        return f"persisted={computed.get('persisted')}"
    return str(computed)


def from_models(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in create_statements(engine.dialect.name):
            connection.exec_driver_sql(statement)


def differences(migrated: dict[str, Any], modelled: dict[str, Any]) -> list[str]:
    """What only the migrations made ("-") and only the models describe ("+")."""
    found = []
    flat_migrated, flat_modelled = _flat(migrated), _flat(modelled)
    found += [f"- {item}" for item in sorted(flat_migrated - flat_modelled)]
    found += [f"+ {item}" for item in sorted(flat_modelled - flat_migrated)]
    return found


def _flat(schema: dict[str, Any]) -> set[str]:
    items = set()
    for table, shape in schema["tables"].items():
        for part, value in shape.items():
            for item in value if isinstance(value, list) else [value]:
                items.add(f"{table} {part}: {item}")
    for part in schema.keys() - {"tables"}:
        items |= {f"{part}: {item}" for item in schema[part]}
    return items


def assert_same(migrated: dict[str, Any], modelled: dict[str, Any]) -> None:
    found = differences(migrated, modelled)
    assert not found, "\n".join(found)


def test_sqlite_migrations_make_the_schema_the_models_describe(tmp_path: Path) -> None:
    open_database(tmp_path / "migrated.sqlite").close()
    migrated = raw_engine(tmp_path / "migrated.sqlite")
    modelled = raw_engine(tmp_path / "modelled.sqlite")
    from_models(modelled)
    assert_same(schema_of(migrated), schema_of(modelled))


def test_postgresql_migrations_make_the_schema_the_models_describe(pg_server: PgServer) -> None:
    pg_server.execute("CREATE DATABASE parity_migrated", "CREATE DATABASE parity_modelled")
    try:
        open_database(pg_server.url("parity_migrated")).close()  # upgrade head on an empty one
        migrated = raw_engine(pg_server.url("parity_migrated"))
        modelled = raw_engine(pg_server.url("parity_modelled"))
        from_models(modelled)
        try:
            assert_same(schema_of(migrated), schema_of(modelled))
        finally:
            migrated.dispose()
            modelled.dispose()
    finally:
        pg_server.execute(
            "DROP DATABASE parity_migrated WITH (FORCE)",
            "DROP DATABASE parity_modelled WITH (FORCE)",
        )


def test_sqlite_generated_columns_are_the_models_expressions(tmp_path: Path) -> None:
    open_database(tmp_path / "migrated.sqlite").close()
    [(table_sql,)] = rows(tmp_path / "migrated.sqlite", "SELECT sql FROM sqlite_master "
                          "WHERE type = 'table' AND name = 'invoices'")  # fmt: skip
    generated = [c for c in Base.metadata.tables["invoices"].columns if c.computed is not None]
    assert {c.name for c in generated} == {"settled", "seller_country", "buyer_vat_number"}
    for column in generated:
        expression = f"{column.name} {column.type} generated always as ({column.computed.sqltext})"
        assert _normal(expression) + " virtual" in _normal(table_sql)
