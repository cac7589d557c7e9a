"""Triggers that make the database itself refuse to change issued documents.

Once an invoice or credit note is issued (issued_at set), only its running figures may move:
paid_minor and credited_minor (payments and credit notes recorded against it) and pdf_sha256,
exactly once from empty. Its lines and VAT groups, payments and audit events never change.
The running figures are kept by triggers as the sums of the payments and issued credit notes
and may hold nothing else; number counters only move on by one; `audit_head` follows each
device's newest audit event (migrations 0010, 0013).
These are created by the migrations (which keep frozen copies); `audit verify` catches what a
hand with the triggers dropped could still do.
"""

from __future__ import annotations

# Every column of `invoices` except the running figures (and `settled`, derived from them).
FROZEN_INVOICE_COLUMNS = (
    "id",
    "kind",
    "number",
    "series",
    "year",
    "seq",
    "customer_id",
    "customer_name",
    "currency",
    "language",
    "issue_date",
    "supply_date",
    "period_start",
    "period_end",
    "due_days",
    "due_date",
    "buyer_reference",
    "notes",
    "credited_invoice_id",
    "reason",
    "seller",
    "buyer",
    "requirements",
    "exchange_rate",
    "net_minor",
    "vat_minor",
    "gross_minor",
    "eu_b2c_eur_minor",
    "issued_at",
    "created_at",
    "updated_at",
)


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _issued(table_alias: str) -> str:
    return f"(SELECT issued_at FROM invoices WHERE id = {table_alias}.invoice_id) IS NOT NULL"


CREATE = [
    f"""
    CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE ON invoices
    WHEN OLD.issued_at IS NOT NULL AND (
        {_changed(FROZEN_INVOICE_COLUMNS)}
        OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256))
    BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END
    """,
    """
    CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices
    WHEN OLD.issued_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be deleted'); END
    """,
]
for _table in ("invoice_lines", "vat_groups"):
    CREATE += [
        f"""
        CREATE TRIGGER {_table}_issued_no_insert BEFORE INSERT ON {_table}
        WHEN {_issued("NEW")}
        BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END
        """,
        f"""
        CREATE TRIGGER {_table}_issued_no_update BEFORE UPDATE ON {_table}
        WHEN {_issued("OLD")}
        BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END
        """,
        f"""
        CREATE TRIGGER {_table}_issued_no_delete BEFORE DELETE ON {_table}
        WHEN {_issued("OLD")}
        BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END
        """,
    ]
for _table in ("payments", "audit_events"):
    CREATE += [
        f"""
        CREATE TRIGGER {_table}_no_update BEFORE UPDATE ON {_table}
        BEGIN SELECT RAISE(ABORT, '{_table} are append-only'); END
        """,
        f"""
        CREATE TRIGGER {_table}_no_delete BEFORE DELETE ON {_table}
        BEGIN SELECT RAISE(ABORT, '{_table} are append-only'); END
        """,
    ]


def _derived() -> list[str]:
    from importlib import import_module

    # One text for the derived-figure and head triggers: the migrations' (0013 made the head
    # triggers of 0010 per device).
    derived = import_module(
        "invoicer.store.migrations.versions.0010_derived_figures_and_audit_head"
    )
    event_log = import_module("invoicer.store.migrations.versions.0013_event_log")
    replaced = {event_log.trigger_name(t) for t in event_log.HEAD_TRIGGERS}
    kept = [t for t in derived.TRIGGERS if derived.trigger_name(t) not in replaced]
    return kept + list(event_log.HEAD_TRIGGERS)


CREATE += _derived()

NAMES = [statement.split()[2] for statement in CREATE]
# Issued quotes, frozen the same way (migration 0019, its own texts on both dialects).
QUOTE_NAMES = ("quotes_issued_frozen", "quotes_issued_no_delete")
NAMES += QUOTE_NAMES


# The sync feed's numbering (migration 0015), the same name on both dialects.
FEED = "audit_events_feed"

# The VAT day-total trigger (migration 0008) keeps figures rather than guarding them.
VAT_DAY_TOTALS = "vat_day_totals_on_issue"


def create_statements(dialect: str) -> list[str]:
    """Every trigger's DDL for a dialect as the newest migration left it (SQLite's above and
    migrations 0008, 0012, 0013 and 0015's; plpgsql in pg_triggers.py, 0012 and 0013), for a store
    made with create_all and for later migrations that recreate tables."""
    from importlib import import_module

    shop_ids = import_module("invoicer.store.migrations.versions.0012_shop_id_everywhere")
    sync = import_module("invoicer.store.migrations.versions.0015_sync")
    quotes = import_module("invoicer.store.migrations.versions.0019_quotes")
    if dialect == "sqlite":
        replaced = {
            "invoices_issued_frozen": shop_ids.FROZEN_TRIGGER,
            VAT_DAY_TOTALS: shop_ids.VAT_TRIGGER,
        }
        kept = [statement for statement in CREATE if statement.split()[2] not in replaced]
        return [*kept, *replaced.values(), sync.FEED_TRIGGER, *quotes.TRIGGERS]
    from invoicer.store.pg_triggers import statements

    event_log = import_module("invoicer.store.migrations.versions.0013_event_log")
    names = [n for n in NAMES if n != "invoices_issued_frozen" and n not in QUOTE_NAMES]
    return [
        *statements([*names, VAT_DAY_TOTALS]),
        *shop_ids.PG_STATEMENTS,
        *event_log.PG_HEAD_FUNCTIONS,
        *sync.PG_FEED,
        *quotes.PG_TRIGGERS,
    ]
