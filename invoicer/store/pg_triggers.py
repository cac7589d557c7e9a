"""The PostgreSQL equivalents of the SQLite triggers (triggers.py, migrations 0001, 0008, 0010):
the same names, the same refusals, the same derived figures, as plpgsql.

Differences from SQLite, and why:
- A refusal raises SQLSTATE 23000 (integrity_constraint_violation): psycopg and SQLAlchemy
  report it as an IntegrityError, as SQLite's RAISE(ABORT, ...) is.
- PostgreSQL's `WHEN` takes no subqueries, so checks that look at another row live in the
  function; and json has no `=`, so the frozen JSON snapshots are compared as text.
- A multi-row INSERT fires AFTER ROW triggers once the whole statement is done (SQLite: row by
  row), so the audit head moves in a statement trigger, to the newest event inserted.

This is the DDL as of migration 0011, and migrations 0001, 0008 and 0010 run it on
PostgreSQL. So never edit an entry to mention a column a later migration adds (0001 would
then fail on an empty database): a later migration that changes a trigger adds its own text
(here under a new name, or frozen in the migration) and drops and creates the trigger, or
replaces the function (CREATE OR REPLACE). `statements(names)` gives the DDL for any subset,
by trigger name; `drop_statements(names)` removes triggers.
"""

from __future__ import annotations

from invoicer.store.triggers import FROZEN_INVOICE_COLUMNS

_RAISE = "RAISE EXCEPTION USING MESSAGE = {message}, ERRCODE = 'integrity_constraint_violation'"
_ROW = "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"

FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION invoicer_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {_RAISE.format(message="TG_ARGV[0]")}; END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoicer_refuse_if_issued() RETURNS trigger LANGUAGE plpgsql
    AS $$
    DECLARE invoice text;
    BEGIN
        IF TG_OP = 'INSERT' THEN invoice := NEW.invoice_id; ELSE invoice := OLD.invoice_id;
        END IF;
        IF (SELECT issued_at FROM invoices WHERE id = invoice) IS NOT NULL THEN
            {_RAISE.format(message="'issued invoices cannot be changed'")};
        END IF;
        {_ROW}
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_vat_day_totals_on_issue() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO vat_day_totals (issue_date, category, rate, currency, tax_country,
                                    seller_country, buyer_vat_number, taxable_minor, tax_minor)
        SELECT to_char(NEW.issue_date, 'YYYY-MM-DD'), g.category, g.rate, NEW.currency,
               COALESCE(g.tax_country, ''), COALESCE(NEW.seller_country, ''),
               CASE WHEN g.category IN ('K', 'AE')
                    THEN COALESCE(NEW.buyer_vat_number, '') ELSE '' END,
               SUM(g.taxable_minor), SUM(g.tax_minor)
        FROM vat_groups AS g
        WHERE g.invoice_id = NEW.id
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (issue_date, category, rate, currency, tax_country, seller_country,
                     buyer_vat_number) DO UPDATE SET
            taxable_minor = vat_day_totals.taxable_minor + excluded.taxable_minor,
            tax_minor = vat_day_totals.tax_minor + excluded.tax_minor;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_paid(invoice text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(SUM(amount_minor), 0)::bigint FROM payments
          WHERE invoice_id = invoice $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_credited(invoice text) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(-SUM(gross_minor), 0)::bigint FROM invoices
          WHERE credited_invoice_id = invoice AND kind = 'credit_note'
            AND issued_at IS NOT NULL $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_payments_keep_paid() RETURNS trigger LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE invoices SET paid_minor = invoicer_paid(NEW.invoice_id)
        WHERE id = NEW.invoice_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_credit_notes_keep_credited() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE invoices SET credited_minor = invoicer_credited(NEW.credited_invoice_id)
        WHERE id = NEW.credited_invoice_id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoicer_paid_is_derived() RETURNS trigger LANGUAGE plpgsql
    AS $$
    BEGIN
        IF NEW.paid_minor IS DISTINCT FROM invoicer_paid(NEW.id) THEN
            {_RAISE.format(message="'paid_minor is the sum of the payments'")};
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoicer_credited_is_derived() RETURNS trigger LANGUAGE plpgsql
    AS $$
    BEGIN
        IF NEW.credited_minor IS DISTINCT FROM invoicer_credited(NEW.id) THEN
            {_RAISE.format(message="'credited_minor is the sum of the credit notes'")};
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION invoicer_audit_events_move_head() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO audit_head (id, seq, hash)
        SELECT 1, seq, hash FROM new_events ORDER BY seq DESC LIMIT 1
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION invoicer_audit_head_follows_chain() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT (NEW.seq IS NOT DISTINCT FROM (SELECT MAX(seq) FROM audit_events)
                AND NEW.hash IS NOT DISTINCT FROM
                    (SELECT hash FROM audit_events WHERE seq = NEW.seq)) THEN
            {_RAISE.format(message="'the audit head is the newest event'")};
        END IF;
        RETURN NEW;
    END $$
    """,
]


def _changed(columns: tuple[str, ...]) -> str:
    json_columns = {"seller", "buyer", "requirements"}
    return " OR ".join(
        f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text"
        if c in json_columns
        else f"NEW.{c} IS DISTINCT FROM OLD.{c}"
        for c in columns
    )


def _refuse(message: str) -> str:
    return f"EXECUTE FUNCTION invoicer_refuse('{message}')"


# name -> (table, the CREATE TRIGGER statement)
TRIGGERS: dict[str, tuple[str, str]] = {
    "invoices_issued_frozen": (
        "invoices",
        f"""CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE ON invoices FOR EACH ROW
        WHEN (OLD.issued_at IS NOT NULL AND ({_changed(FROZEN_INVOICE_COLUMNS)}
              OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256)))
        {_refuse("issued invoices cannot be changed")}""",
    ),
    "invoices_issued_no_delete": (
        "invoices",
        f"""CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices FOR EACH ROW
        WHEN (OLD.issued_at IS NOT NULL) {_refuse("issued invoices cannot be deleted")}""",
    ),
}
for _table in ("invoice_lines", "vat_groups"):
    for _op in ("insert", "update", "delete"):
        _name = f"{_table}_issued_no_{_op}"
        TRIGGERS[_name] = (
            _table,
            f"CREATE TRIGGER {_name} BEFORE {_op.upper()} ON {_table} FOR EACH ROW "
            "EXECUTE FUNCTION invoicer_refuse_if_issued()",
        )
for _table in ("payments", "audit_events"):
    for _op in ("update", "delete"):
        _name = f"{_table}_no_{_op}"
        TRIGGERS[_name] = (
            _table,
            f"CREATE TRIGGER {_name} BEFORE {_op.upper()} ON {_table} FOR EACH ROW "
            f"{_refuse(f'{_table} are append-only')}",
        )
TRIGGERS |= {
    "vat_day_totals_on_issue": (
        "invoices",
        """CREATE TRIGGER vat_day_totals_on_issue AFTER UPDATE OF issued_at ON invoices
        FOR EACH ROW WHEN (OLD.issued_at IS NULL AND NEW.issued_at IS NOT NULL)
        EXECUTE FUNCTION invoicer_vat_day_totals_on_issue()""",
    ),
    "payments_keep_paid": (
        "payments",
        """CREATE TRIGGER payments_keep_paid AFTER INSERT ON payments FOR EACH ROW
        EXECUTE FUNCTION invoicer_payments_keep_paid()""",
    ),
    "credit_notes_keep_credited": (
        "invoices",
        """CREATE TRIGGER credit_notes_keep_credited AFTER UPDATE OF issued_at ON invoices
        FOR EACH ROW WHEN (NEW.kind = 'credit_note' AND OLD.issued_at IS NULL
            AND NEW.issued_at IS NOT NULL AND NEW.credited_invoice_id IS NOT NULL)
        EXECUTE FUNCTION invoicer_credit_notes_keep_credited()""",
    ),
    "invoices_paid_is_derived": (
        "invoices",
        """CREATE TRIGGER invoices_paid_is_derived BEFORE UPDATE OF paid_minor ON invoices
        FOR EACH ROW EXECUTE FUNCTION invoicer_paid_is_derived()""",
    ),
    "invoices_credited_is_derived": (
        "invoices",
        """CREATE TRIGGER invoices_credited_is_derived BEFORE UPDATE OF credited_minor
        ON invoices FOR EACH ROW EXECUTE FUNCTION invoicer_credited_is_derived()""",
    ),
    "invoices_start_unpaid": (
        "invoices",
        f"""CREATE TRIGGER invoices_start_unpaid BEFORE INSERT ON invoices FOR EACH ROW
        WHEN (NEW.paid_minor IS DISTINCT FROM 0 OR NEW.credited_minor IS DISTINCT FROM 0)
        {_refuse("a new invoice has no payments or credit notes yet")}""",
    ),
    "number_series_one_step": (
        "number_series",
        f"""CREATE TRIGGER number_series_one_step BEFORE UPDATE ON number_series FOR EACH ROW
        WHEN (NEW.series IS DISTINCT FROM OLD.series OR NEW.year IS DISTINCT FROM OLD.year
              OR NEW.next_seq IS DISTINCT FROM OLD.next_seq + 1)
        {_refuse("number counters only move on by one")}""",
    ),
    "number_series_no_delete": (
        "number_series",
        f"""CREATE TRIGGER number_series_no_delete BEFORE DELETE ON number_series FOR EACH ROW
        {_refuse("number counters are never deleted")}""",
    ),
    "audit_events_move_head": (
        "audit_events",
        """CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events
        REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT
        EXECUTE FUNCTION invoicer_audit_events_move_head()""",
    ),
    "audit_head_insert_follows_chain": (
        "audit_head",
        """CREATE TRIGGER audit_head_insert_follows_chain BEFORE INSERT ON audit_head
        FOR EACH ROW EXECUTE FUNCTION invoicer_audit_head_follows_chain()""",
    ),
    "audit_head_update_follows_chain": (
        "audit_head",
        """CREATE TRIGGER audit_head_update_follows_chain BEFORE UPDATE ON audit_head
        FOR EACH ROW EXECUTE FUNCTION invoicer_audit_head_follows_chain()""",
    ),
    "audit_head_no_delete": (
        "audit_head",
        f"""CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head FOR EACH ROW
        {_refuse("the audit head is never deleted")}""",
    ),
}


def statements(names: list[str]) -> list[str]:
    """The functions (all: CREATE OR REPLACE is idempotent), then the named triggers."""
    return [*FUNCTIONS, *(TRIGGERS[name][1] for name in names)]


def drop_statements(names: list[str]) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {TRIGGERS[name][0]}" for name in names]
