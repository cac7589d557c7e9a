"""Alembic migrations, run programmatically by invoicer.store.database (no alembic.ini)."""
