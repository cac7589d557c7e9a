"""Alembic environment: the connection comes from invoicer.store.database.

On SQLite the migrations run with foreign keys off (database._upgrade: rebuilding a table
drops and renames it); every reference is checked here before the upgrade is committed.
"""

from __future__ import annotations

from alembic import context

from invoicer.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the upgrade would break references: {broken[:5]}")
