"""Every row a shop holds carries the shop's id, and the id leads its keys (issue 18).

A `shops` table names the tenants; customers, products, number series, documents with their
lines and VAT groups, payments, payment requests, chain cursors, VAT day totals, audit events
and the profile carry `shop_id`. Primary keys become (shop_id, id), references become
(shop_id, x_id) -> (shop_id, id), so no row can point into another shop, and invoice numbers
are unique per shop: what a server with many shops needs, and what a distributed PostgreSQL
(Citus) shards on. A local file holds one shop, whose id is its profile's (or a new one).

SQLite cannot change a primary key in place: each table is rebuilt from the frozen DDL below
(SQLite's own 12-step recipe, foreign keys off, checked before commit in env.py), its
indexes and triggers are put back, the VAT day-total trigger now keyed by shop too.
PostgreSQL alters the tables in place.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Parents before children (the order rows are copied in).
TABLES = {
    "shop": """
CREATE TABLE shop (
	id VARCHAR(36) NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	legal_name TEXT NOT NULL,
	trading_name TEXT,
	street TEXT NOT NULL,
	postcode TEXT NOT NULL,
	city TEXT NOT NULL,
	country VARCHAR(2) NOT NULL,
	vat_number TEXT,
	registration_number TEXT,
	email TEXT,
	phone TEXT,
	website TEXT,
	iban TEXT,
	bic TEXT,
	currency VARCHAR(3) NOT NULL,
	language VARCHAR(2) NOT NULL,
	payment_terms_days INTEGER NOT NULL,
	vat_status TEXT NOT NULL,
	oss_opt_in BOOLEAN NOT NULL,
	invoice_number_format TEXT NOT NULL,
	credit_note_number_format TEXT NOT NULL,
	eu_b2c_sales_outside_current_year TEXT NOT NULL,
	eu_b2c_sales_outside_previous_year TEXT NOT NULL,
	logo_path TEXT,
	peppol_id TEXT,
	updated_at DATETIME NOT NULL,
	CONSTRAINT pk_shop PRIMARY KEY (id),
	CONSTRAINT uq_shop_shop_id UNIQUE (shop_id),
	CONSTRAINT fk_shop_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "customers": """
CREATE TABLE customers (
	id VARCHAR(36) NOT NULL,
	name TEXT NOT NULL,
	street TEXT,
	postcode TEXT,
	city TEXT,
	country VARCHAR(2) NOT NULL,
	vat_number TEXT,
	is_business BOOLEAN,
	email TEXT,
	language VARCHAR(2),
	currency VARCHAR(3),
	payment_terms_days INTEGER,
	notes TEXT,
	archived BOOLEAN NOT NULL,
	vies_valid BOOLEAN,
	vies_checked_at DATETIME,
	vies_name TEXT,
	vies_address TEXT,
	vies_request_id TEXT,
	peppol_id TEXT,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_customers PRIMARY KEY (shop_id, id),
	CONSTRAINT fk_customers_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "products": """
CREATE TABLE products (
	id VARCHAR(36) NOT NULL,
	name TEXT NOT NULL,
	description TEXT,
	unit_code TEXT NOT NULL,
	unit_price TEXT NOT NULL,
	currency VARCHAR(3) NOT NULL,
	rate_class TEXT NOT NULL,
	supply_kind TEXT NOT NULL,
	art59_service BOOLEAN NOT NULL,
	sku TEXT,
	archived BOOLEAN NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_products PRIMARY KEY (shop_id, id),
	CONSTRAINT fk_products_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "number_series": """
CREATE TABLE number_series (
	shop_id VARCHAR(36) NOT NULL,
	series TEXT NOT NULL,
	year INTEGER NOT NULL,
	next_seq INTEGER NOT NULL,
	CONSTRAINT pk_number_series PRIMARY KEY (shop_id, series, year),
	CONSTRAINT fk_number_series_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "invoices": """
CREATE TABLE invoices (
	id VARCHAR(36) NOT NULL,
	kind TEXT NOT NULL,
	number TEXT,
	series TEXT,
	year INTEGER,
	seq INTEGER,
	customer_id VARCHAR(36) NOT NULL,
	customer_name TEXT NOT NULL,
	currency VARCHAR(3) NOT NULL,
	language VARCHAR(2) NOT NULL,
	issue_date DATE,
	supply_date DATE,
	period_start DATE,
	period_end DATE,
	due_days INTEGER,
	due_date DATE,
	buyer_reference TEXT,
	notes TEXT,
	credited_invoice_id VARCHAR(36),
	reason TEXT,
	seller JSON,
	buyer JSON,
	requirements JSON,
	exchange_rate TEXT,
	net_minor INTEGER NOT NULL,
	vat_minor INTEGER NOT NULL,
	gross_minor INTEGER NOT NULL,
	eu_b2c_eur_minor INTEGER NOT NULL,
	paid_minor INTEGER NOT NULL,
	credited_minor INTEGER NOT NULL,
	pdf_sha256 TEXT,
	settled INTEGER NOT NULL GENERATED ALWAYS AS (paid_minor + credited_minor >= gross_minor) VIRTUAL,
	seller_country TEXT GENERATED ALWAYS AS (json_extract(seller, '$.country')) VIRTUAL,
	buyer_vat_number TEXT GENERATED ALWAYS AS (json_extract(buyer, '$.vat_number')) VIRTUAL,
	issued_at DATETIME,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_invoices PRIMARY KEY (shop_id, id),
	CONSTRAINT uq_invoices_shop_id_number UNIQUE (shop_id, number),
	CONSTRAINT fk_invoices_customer_id FOREIGN KEY(shop_id, customer_id) REFERENCES customers (shop_id, id),
	CONSTRAINT fk_invoices_credited_invoice_id FOREIGN KEY(shop_id, credited_invoice_id) REFERENCES invoices (shop_id, id),
	CONSTRAINT fk_invoices_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "invoice_lines": """
CREATE TABLE invoice_lines (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	position INTEGER NOT NULL,
	product_id VARCHAR(36),
	description TEXT NOT NULL,
	quantity TEXT NOT NULL,
	unit_code TEXT NOT NULL,
	unit_price TEXT NOT NULL,
	rate_class TEXT NOT NULL,
	supply_kind TEXT NOT NULL,
	art59_service BOOLEAN NOT NULL,
	net_minor INTEGER NOT NULL,
	category TEXT,
	rate TEXT,
	exemption_code TEXT,
	exemption_text TEXT,
	tax_country TEXT,
	credited_line_id VARCHAR(36),
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_invoice_lines PRIMARY KEY (shop_id, id),
	CONSTRAINT fk_invoice_lines_invoice_id FOREIGN KEY(shop_id, invoice_id) REFERENCES invoices (shop_id, id) ON DELETE CASCADE,
	CONSTRAINT fk_invoice_lines_product_id FOREIGN KEY(shop_id, product_id) REFERENCES products (shop_id, id),
	CONSTRAINT fk_invoice_lines_credited_line_id FOREIGN KEY(shop_id, credited_line_id) REFERENCES invoice_lines (shop_id, id),
	CONSTRAINT fk_invoice_lines_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "vat_groups": """
CREATE TABLE vat_groups (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	position INTEGER NOT NULL,
	category TEXT NOT NULL,
	rate TEXT NOT NULL,
	taxable_minor INTEGER NOT NULL,
	tax_minor INTEGER NOT NULL,
	exemption_code TEXT,
	exemption_text TEXT,
	tax_country TEXT,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_vat_groups PRIMARY KEY (shop_id, id),
	CONSTRAINT fk_vat_groups_invoice_id FOREIGN KEY(shop_id, invoice_id) REFERENCES invoices (shop_id, id) ON DELETE CASCADE,
	CONSTRAINT fk_vat_groups_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "payments": """
CREATE TABLE payments (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency VARCHAR(3) NOT NULL,
	date DATE NOT NULL,
	method TEXT NOT NULL,
	reference TEXT,
	external_id TEXT,
	extra JSON,
	overpayment BOOLEAN NOT NULL,
	created_at DATETIME NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_payments PRIMARY KEY (shop_id, id),
	CONSTRAINT uq_payments_shop_id_method_external_id UNIQUE (shop_id, method, external_id),
	CONSTRAINT fk_payments_invoice_id FOREIGN KEY(shop_id, invoice_id) REFERENCES invoices (shop_id, id),
	CONSTRAINT fk_payments_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "payment_requests": """
CREATE TABLE payment_requests (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	provider TEXT NOT NULL,
	external_id TEXT NOT NULL,
	url TEXT NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL,
	details JSON,
	created_at DATETIME NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	CONSTRAINT pk_payment_requests PRIMARY KEY (shop_id, id),
	CONSTRAINT uq_payment_requests_shop_id_provider_external_id UNIQUE (shop_id, provider, external_id),
	CONSTRAINT fk_payment_requests_invoice_id FOREIGN KEY(shop_id, invoice_id) REFERENCES invoices (shop_id, id),
	CONSTRAINT fk_payment_requests_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "chain_cursors": """
CREATE TABLE chain_cursors (
	shop_id VARCHAR(36) NOT NULL,
	chain_id INTEGER NOT NULL,
	address TEXT NOT NULL,
	last_block INTEGER NOT NULL,
	updated_at DATETIME NOT NULL,
	CONSTRAINT pk_chain_cursors PRIMARY KEY (shop_id, chain_id, address),
	CONSTRAINT fk_chain_cursors_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
    "vat_day_totals": """
CREATE TABLE vat_day_totals (
	shop_id VARCHAR(36) NOT NULL,
	issue_date TEXT NOT NULL,
	category TEXT NOT NULL,
	rate TEXT NOT NULL,
	currency TEXT NOT NULL,
	tax_country TEXT NOT NULL,
	seller_country TEXT NOT NULL,
	buyer_vat_number TEXT NOT NULL,
	taxable_minor INTEGER NOT NULL,
	tax_minor INTEGER NOT NULL,
	CONSTRAINT pk_vat_day_totals PRIMARY KEY (shop_id, issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number),
	CONSTRAINT fk_vat_day_totals_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
 WITHOUT ROWID
""",
    "audit_events": """
CREATE TABLE audit_events (
	seq INTEGER NOT NULL,
	shop_id VARCHAR(36) NOT NULL,
	at DATETIME NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	state TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	CONSTRAINT pk_audit_events PRIMARY KEY (seq),
	CONSTRAINT fk_audit_events_shop_id_shops FOREIGN KEY(shop_id) REFERENCES shops (id)
)
""",
}

TABLES_0011 = {
    "shop": """
CREATE TABLE shop (
	id VARCHAR(36) NOT NULL,
	legal_name TEXT NOT NULL,
	trading_name TEXT,
	street TEXT NOT NULL,
	postcode TEXT NOT NULL,
	city TEXT NOT NULL,
	country VARCHAR(2) NOT NULL,
	vat_number TEXT,
	registration_number TEXT,
	email TEXT,
	phone TEXT,
	website TEXT,
	iban TEXT,
	bic TEXT,
	currency VARCHAR(3) NOT NULL,
	language VARCHAR(2) NOT NULL,
	payment_terms_days INTEGER NOT NULL,
	vat_status TEXT NOT NULL,
	oss_opt_in BOOLEAN NOT NULL,
	invoice_number_format TEXT NOT NULL,
	credit_note_number_format TEXT NOT NULL,
	eu_b2c_sales_outside_current_year TEXT NOT NULL,
	eu_b2c_sales_outside_previous_year TEXT NOT NULL,
	logo_path TEXT,
	updated_at DATETIME NOT NULL, peppol_id TEXT,
	CONSTRAINT pk_shop PRIMARY KEY (id)
)
""",
    "customers": """
CREATE TABLE customers (
	id VARCHAR(36) NOT NULL,
	name TEXT NOT NULL,
	street TEXT,
	postcode TEXT,
	city TEXT,
	country VARCHAR(2) NOT NULL,
	vat_number TEXT,
	is_business BOOLEAN,
	email TEXT,
	language VARCHAR(2),
	currency VARCHAR(3),
	payment_terms_days INTEGER,
	notes TEXT,
	archived BOOLEAN NOT NULL,
	vies_valid BOOLEAN,
	vies_checked_at DATETIME,
	vies_name TEXT,
	vies_address TEXT,
	vies_request_id TEXT,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL, peppol_id TEXT,
	CONSTRAINT pk_customers PRIMARY KEY (id)
)
""",
    "products": """
CREATE TABLE products (
	id VARCHAR(36) NOT NULL,
	name TEXT NOT NULL,
	description TEXT,
	unit_code TEXT NOT NULL,
	unit_price TEXT NOT NULL,
	currency VARCHAR(3) NOT NULL,
	rate_class TEXT NOT NULL,
	supply_kind TEXT NOT NULL,
	art59_service BOOLEAN NOT NULL,
	sku TEXT,
	archived BOOLEAN NOT NULL,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL,
	CONSTRAINT pk_products PRIMARY KEY (id)
)
""",
    "number_series": """
CREATE TABLE number_series (
	series TEXT NOT NULL,
	year INTEGER NOT NULL,
	next_seq INTEGER NOT NULL,
	CONSTRAINT pk_number_series PRIMARY KEY (series, year)
)
""",
    "invoices": """
CREATE TABLE invoices (
	id VARCHAR(36) NOT NULL,
	kind TEXT NOT NULL,
	number TEXT,
	series TEXT,
	year INTEGER,
	seq INTEGER,
	customer_id VARCHAR(36) NOT NULL,
	customer_name TEXT NOT NULL,
	currency VARCHAR(3) NOT NULL,
	language VARCHAR(2) NOT NULL,
	issue_date DATE,
	supply_date DATE,
	period_start DATE,
	period_end DATE,
	due_days INTEGER,
	due_date DATE,
	buyer_reference TEXT,
	notes TEXT,
	credited_invoice_id VARCHAR(36),
	reason TEXT,
	seller JSON,
	buyer JSON,
	requirements JSON,
	exchange_rate TEXT,
	net_minor INTEGER NOT NULL,
	vat_minor INTEGER NOT NULL,
	gross_minor INTEGER NOT NULL,
	eu_b2c_eur_minor INTEGER NOT NULL,
	paid_minor INTEGER NOT NULL,
	credited_minor INTEGER NOT NULL,
	pdf_sha256 TEXT,
	issued_at DATETIME,
	created_at DATETIME NOT NULL,
	updated_at DATETIME NOT NULL, settled INTEGER GENERATED ALWAYS AS (paid_minor + credited_minor >= gross_minor) VIRTUAL, seller_country TEXT GENERATED ALWAYS AS (json_extract(seller, '$.country')) VIRTUAL, buyer_vat_number TEXT GENERATED ALWAYS AS (json_extract(buyer, '$.vat_number')) VIRTUAL,
	CONSTRAINT pk_invoices PRIMARY KEY (id),
	CONSTRAINT fk_invoices_credited_invoice_id_invoices FOREIGN KEY(credited_invoice_id) REFERENCES invoices (id),
	CONSTRAINT fk_invoices_customer_id_customers FOREIGN KEY(customer_id) REFERENCES customers (id),
	CONSTRAINT uq_invoices_number UNIQUE (number)
)
""",
    "invoice_lines": """
CREATE TABLE invoice_lines (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	position INTEGER NOT NULL,
	product_id VARCHAR(36),
	description TEXT NOT NULL,
	quantity TEXT NOT NULL,
	unit_code TEXT NOT NULL,
	unit_price TEXT NOT NULL,
	rate_class TEXT NOT NULL,
	supply_kind TEXT NOT NULL,
	art59_service BOOLEAN NOT NULL,
	net_minor INTEGER NOT NULL,
	category TEXT,
	rate TEXT,
	exemption_code TEXT,
	exemption_text TEXT,
	tax_country TEXT,
	credited_line_id VARCHAR(36),
	CONSTRAINT pk_invoice_lines PRIMARY KEY (id),
	CONSTRAINT fk_invoice_lines_credited_line_id_invoice_lines FOREIGN KEY(credited_line_id) REFERENCES invoice_lines (id),
	CONSTRAINT fk_invoice_lines_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE,
	CONSTRAINT fk_invoice_lines_product_id_products FOREIGN KEY(product_id) REFERENCES products (id)
)
""",
    "vat_groups": """
CREATE TABLE vat_groups (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	position INTEGER NOT NULL,
	category TEXT NOT NULL,
	rate TEXT NOT NULL,
	taxable_minor INTEGER NOT NULL,
	tax_minor INTEGER NOT NULL,
	exemption_code TEXT,
	exemption_text TEXT, tax_country TEXT,
	CONSTRAINT pk_vat_groups PRIMARY KEY (id),
	CONSTRAINT fk_vat_groups_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id) ON DELETE CASCADE
)
""",
    "payments": """
CREATE TABLE payments (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency VARCHAR(3) NOT NULL,
	date DATE NOT NULL,
	method TEXT NOT NULL,
	reference TEXT,
	external_id TEXT,
	extra JSON,
	overpayment BOOLEAN NOT NULL,
	created_at DATETIME NOT NULL,
	CONSTRAINT pk_payments PRIMARY KEY (id),
	CONSTRAINT fk_payments_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id),
	CONSTRAINT uq_payments_method_external_id UNIQUE (method, external_id)
)
""",
    "payment_requests": """
CREATE TABLE payment_requests (
	id VARCHAR(36) NOT NULL,
	invoice_id VARCHAR(36) NOT NULL,
	provider TEXT NOT NULL,
	external_id TEXT NOT NULL,
	url TEXT NOT NULL,
	amount_minor INTEGER NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL,
	details JSON,
	created_at DATETIME NOT NULL,
	CONSTRAINT pk_payment_requests PRIMARY KEY (id),
	CONSTRAINT fk_payment_requests_invoice_id_invoices FOREIGN KEY(invoice_id) REFERENCES invoices (id),
	CONSTRAINT uq_payment_requests_provider_external_id UNIQUE (provider, external_id)
)
""",
    "chain_cursors": """
CREATE TABLE chain_cursors (
	chain_id INTEGER NOT NULL,
	address TEXT NOT NULL,
	last_block INTEGER NOT NULL,
	updated_at DATETIME NOT NULL,
	CONSTRAINT pk_chain_cursors PRIMARY KEY (chain_id, address)
)
""",
    "vat_day_totals": """
CREATE TABLE vat_day_totals (
            issue_date TEXT NOT NULL,
            category TEXT NOT NULL,
            rate TEXT NOT NULL,
            currency TEXT NOT NULL,
            tax_country TEXT NOT NULL,
            seller_country TEXT NOT NULL,
            buyer_vat_number TEXT NOT NULL,
            taxable_minor INTEGER NOT NULL,
            tax_minor INTEGER NOT NULL,
            PRIMARY KEY (issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number)
        ) WITHOUT ROWID
""",
    "audit_events": """
CREATE TABLE audit_events (
	seq INTEGER NOT NULL,
	at DATETIME NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	state TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	CONSTRAINT pk_audit_events PRIMARY KEY (seq)
)
""",
}

NEW_INDEXES = [
    "CREATE INDEX ix_customers_id ON customers (id)",
    "CREATE INDEX ix_products_id ON products (id)",
    "CREATE INDEX ix_invoices_id ON invoices (id)",
    "CREATE INDEX ix_invoice_lines_id ON invoice_lines (id)",
    "CREATE INDEX ix_vat_groups_id ON vat_groups (id)",
    "CREATE INDEX ix_payments_id ON payments (id)",
    "CREATE INDEX ix_payment_requests_id ON payment_requests (id)",
    "CREATE INDEX ix_audit_events_shop_id ON audit_events (shop_id)",
]

FROZEN_TRIGGER_0011 = """CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE ON invoices WHEN OLD.issued_at IS NOT NULL AND ( NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.number IS NOT OLD.number OR NEW.series IS NOT OLD.series OR NEW.year IS NOT OLD.year OR NEW.seq IS NOT OLD.seq OR NEW.customer_id IS NOT OLD.customer_id OR NEW.customer_name IS NOT OLD.customer_name OR NEW.currency IS NOT OLD.currency OR NEW.language IS NOT OLD.language OR NEW.issue_date IS NOT OLD.issue_date OR NEW.supply_date IS NOT OLD.supply_date OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end OR NEW.due_days IS NOT OLD.due_days OR NEW.due_date IS NOT OLD.due_date OR NEW.buyer_reference IS NOT OLD.buyer_reference OR NEW.notes IS NOT OLD.notes OR NEW.credited_invoice_id IS NOT OLD.credited_invoice_id OR NEW.reason IS NOT OLD.reason OR NEW.seller IS NOT OLD.seller OR NEW.buyer IS NOT OLD.buyer OR NEW.requirements IS NOT OLD.requirements OR NEW.exchange_rate IS NOT OLD.exchange_rate OR NEW.net_minor IS NOT OLD.net_minor OR NEW.vat_minor IS NOT OLD.vat_minor OR NEW.gross_minor IS NOT OLD.gross_minor OR NEW.eu_b2c_eur_minor IS NOT OLD.eu_b2c_eur_minor OR NEW.issued_at IS NOT OLD.issued_at OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256)) BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END"""

VAT_TRIGGER_0011 = """CREATE TRIGGER vat_day_totals_on_issue AFTER UPDATE OF issued_at ON invoices
        WHEN OLD.issued_at IS NULL AND NEW.issued_at IS NOT NULL
        BEGIN
            INSERT INTO vat_day_totals (issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number, taxable_minor, tax_minor)
            
        SELECT NEW.issue_date, g.category, g.rate, NEW.currency,
               COALESCE(g.tax_country, ''), COALESCE(NEW.seller_country, ''),
               CASE WHEN g.category IN ('K', 'AE')
                    THEN COALESCE(NEW.buyer_vat_number, '') ELSE '' END,
               SUM(g.taxable_minor), SUM(g.tax_minor)
        FROM vat_groups AS g
        WHERE g.invoice_id = NEW.id
        GROUP BY 1, 2, 3, 4, 5, 6, 7
    
            ON CONFLICT (issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number) DO UPDATE SET
                taxable_minor = taxable_minor + excluded.taxable_minor,
                tax_minor = tax_minor + excluded.tax_minor;
        END"""

FROZEN_INVOICE_COLUMNS = (
    "id", "shop_id", "kind", "number", "series", "year", "seq", "customer_id", "customer_name",
    "currency", "language", "issue_date", "supply_date", "period_start", "period_end",
    "due_days", "due_date", "buyer_reference", "notes", "credited_invoice_id", "reason",
    "seller", "buyer", "requirements", "exchange_rate", "net_minor", "vat_minor", "gross_minor",
    "eu_b2c_eur_minor", "issued_at", "created_at", "updated_at",
)  # fmt: skip
FROZEN_TRIGGER = (
    "CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE ON invoices "
    "WHEN OLD.issued_at IS NOT NULL AND ( "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_INVOICE_COLUMNS)
    + " OR (OLD.pdf_sha256 IS NOT NULL AND NEW.pdf_sha256 IS NOT OLD.pdf_sha256)) "
    "BEGIN SELECT RAISE(ABORT, 'issued invoices cannot be changed'); END"
)

KEY = "shop_id, issue_date, category, rate, currency, tax_country, seller_country, buyer_vat_number"
VAT_TRIGGER = f"""CREATE TRIGGER vat_day_totals_on_issue AFTER UPDATE OF issued_at ON invoices
        WHEN OLD.issued_at IS NULL AND NEW.issued_at IS NOT NULL
        BEGIN
            INSERT INTO vat_day_totals ({KEY}, taxable_minor, tax_minor)
            SELECT NEW.shop_id, NEW.issue_date, g.category, g.rate, NEW.currency,
                   COALESCE(g.tax_country, ''), COALESCE(NEW.seller_country, ''),
                   CASE WHEN g.category IN ('K', 'AE')
                        THEN COALESCE(NEW.buyer_vat_number, '') ELSE '' END,
                   SUM(g.taxable_minor), SUM(g.tax_minor)
            FROM vat_groups AS g
            WHERE g.invoice_id = NEW.id AND g.shop_id = NEW.shop_id
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            ON CONFLICT ({KEY}) DO UPDATE SET
                taxable_minor = taxable_minor + excluded.taxable_minor,
                tax_minor = tax_minor + excluded.tax_minor;
        END"""
REPLACED_TRIGGERS = ("invoices_issued_frozen", "vat_day_totals_on_issue")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_in_place()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        raise NotImplementedError("a shop's id cannot be taken out of a PostgreSQL database")
    _rebuild(TABLES_0011, None, {"invoices_issued_frozen": FROZEN_TRIGGER_0011,
                                 "vat_day_totals_on_issue": VAT_TRIGGER_0011})  # fmt: skip
    op.execute("DROP TABLE shops")


def _the_shop_id(bind: sa.Connection) -> str | None:
    """The shop id of what the database holds: its profile's, else a new one (a file that
    holds no profile yet still belongs to the one shop it will be). None: an empty server."""
    profile = bind.execute(sa.text("SELECT id FROM shop LIMIT 1")).scalar()
    if profile is not None:
        return str(profile)
    return str(uuid.uuid4()) if bind.dialect.name == "sqlite" else None


def _create_shops(bind: sa.Connection) -> str | None:
    op.create_table(
        "shops",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shops"),
    )
    shop_id = _the_shop_id(bind)
    if shop_id is not None:
        bind.execute(
            sa.text("INSERT INTO shops (id, created_at) VALUES (:id, :at)"),
            {"id": shop_id, "at": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
        )
    return shop_id


def _upgrade_sqlite() -> None:
    shop_id = _create_shops(op.get_bind())
    _rebuild(TABLES, shop_id, {"invoices_issued_frozen": FROZEN_TRIGGER,
                               "vat_day_totals_on_issue": VAT_TRIGGER})  # fmt: skip
    for statement in NEW_INDEXES:
        op.execute(statement)


def _stored_columns(bind: sa.Connection, table: str) -> list[str]:
    # table_xinfo's `hidden` is 0 for stored columns (2 and 3: generated ones).
    rows = bind.execute(sa.text(f"PRAGMA table_xinfo({table})")).all()
    return [row[1] for row in rows if row[6] == 0]


def _rebuild(ddl: dict[str, str], shop_id: str | None, triggers: dict[str, str]) -> None:
    """Rebuild every table of `ddl` (SQLite): new table, copy, drop, rename; then the
    indexes and triggers as they were, but those named in `triggers` as given there."""
    bind = op.get_bind()
    saved_triggers = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    saved_indexes = bind.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (" + ", ".join(f"'{t}'" for t in ddl) + ")"
        )
    ).all()
    for name, _sql in saved_triggers:
        op.execute(f"DROP TRIGGER {name}")
    for table, create in ddl.items():
        old_columns = _stored_columns(bind, table)
        op.execute(create.replace(f"CREATE TABLE {table} (", f"CREATE TABLE _new_{table} (", 1))
        new_columns = _stored_columns(bind, f"_new_{table}")
        common = ", ".join(c for c in old_columns if c in new_columns)
        if shop_id is not None and "shop_id" not in old_columns:
            bind.execute(
                sa.text(
                    f"INSERT INTO _new_{table} (shop_id, {common}) "
                    f"SELECT :shop_id, {common} FROM {table}"
                ),
                {"shop_id": shop_id},
            )
        else:
            op.execute(f"INSERT INTO _new_{table} ({common}) SELECT {common} FROM {table}")
        op.execute(f"DROP TABLE {table}")
        op.execute(f"ALTER TABLE _new_{table} RENAME TO {table}")
    new_index_names = {statement.split()[2] for statement in NEW_INDEXES}
    for name, sql in saved_indexes:
        if name not in new_index_names:
            op.execute(sql)
    for name, sql in saved_triggers:
        op.execute(triggers.get(name, sql))


# PostgreSQL: the constraints as migrations 0001-0011 named them.
OLD_FOREIGN_KEYS = {
    "invoices": ["fk_invoices_credited_invoice_id_invoices", "fk_invoices_customer_id_customers"],
    "invoice_lines": [
        "fk_invoice_lines_credited_line_id_invoice_lines",
        "fk_invoice_lines_invoice_id_invoices",
        "fk_invoice_lines_product_id_products",
    ],
    "vat_groups": ["fk_vat_groups_invoice_id_invoices"],
    "payments": ["fk_payments_invoice_id_invoices"],
    "payment_requests": ["fk_payment_requests_invoice_id_invoices"],
}
OLD_UNIQUES = {
    "invoices": "uq_invoices_number",
    "payments": "uq_payments_method_external_id",
    "payment_requests": "uq_payment_requests_provider_external_id",
}
NEW_KEYS = {  # table: primary key columns after shop_id
    "customers": ["id"],
    "products": ["id"],
    "number_series": ["series", "year"],
    "invoices": ["id"],
    "invoice_lines": ["id"],
    "vat_groups": ["id"],
    "payments": ["id"],
    "payment_requests": ["id"],
    "chain_cursors": ["chain_id", "address"],
    "vat_day_totals": [
        "issue_date", "category", "rate", "currency", "tax_country", "seller_country",
        "buyer_vat_number",
    ],
}  # fmt: skip
NEW_UNIQUES = {
    "invoices": ["number"],
    "payments": ["method", "external_id"],
    "payment_requests": ["provider", "external_id"],
}
NEW_REFERENCES = [  # table, column, target, ondelete
    ("invoices", "customer_id", "customers", None),
    ("invoices", "credited_invoice_id", "invoices", None),
    ("invoice_lines", "invoice_id", "invoices", "CASCADE"),
    ("invoice_lines", "product_id", "products", None),
    ("invoice_lines", "credited_line_id", "invoice_lines", None),
    ("vat_groups", "invoice_id", "invoices", "CASCADE"),
    ("payments", "invoice_id", "invoices", None),
    ("payment_requests", "invoice_id", "invoices", None),
]


def _upgrade_in_place() -> None:
    """PostgreSQL: add the column, fill it, swap the keys (the triggers are the store's
    PostgreSQL functions, which read shop_id from the rows themselves)."""
    bind = op.get_bind()
    shop_id = _create_shops(bind)
    for table in TABLES:
        op.add_column(table, sa.Column("shop_id", sa.String(length=36), nullable=True))
        if shop_id is not None:
            bind.execute(sa.text(f"UPDATE {table} SET shop_id = :shop_id"), {"shop_id": shop_id})
        op.alter_column(table, "shop_id", nullable=False)
        op.create_foreign_key(f"fk_{table}_shop_id_shops", table, "shops", ["shop_id"], ["id"])
    for table, names in OLD_FOREIGN_KEYS.items():
        for name in names:
            op.drop_constraint(name, table, type_="foreignkey")
    for table, name in OLD_UNIQUES.items():
        op.drop_constraint(name, table, type_="unique")
    for table, columns in NEW_KEYS.items():
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, ["shop_id", *columns])
        if columns == ["id"]:
            op.create_index(f"ix_{table}_id", table, ["id"])
    for table, columns in NEW_UNIQUES.items():
        op.create_unique_constraint(
            f"uq_{table}_shop_id_{'_'.join(columns)}", table, ["shop_id", *columns]
        )
    for table, column, target, ondelete in NEW_REFERENCES:
        op.create_foreign_key(
            f"fk_{table}_{column}",
            table,
            target,
            ["shop_id", column],
            ["shop_id", "id"],
            ondelete=ondelete,
        )
    op.create_unique_constraint("uq_shop_shop_id", "shop", ["shop_id"])
    op.create_index("ix_audit_events_shop_id", "audit_events", ["shop_id"])
