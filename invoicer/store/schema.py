"""The schema as SQLAlchemy 2 typed models, for SQLite and PostgreSQL alike.

Money is integer minor units; quantities, prices and rates are exact decimal TEXT (SQLite's
NUMERIC is a float). Ids are UUID strings so records can later sync between devices. Issued
invoices, their lines and VAT groups, payments and audit events are protected by triggers
(see triggers.py): the database itself refuses to change them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal stored as TEXT."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else format(value, "f")

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


# Money and counters that grow without bound: 64-bit on PostgreSQL (its INTEGER is 32-bit; a
# year's turnover in cents passes 2^31 at EUR 21 million); SQLite's INTEGER already is 64-bit
# and `seq INTEGER PRIMARY KEY` must stay the rowid, so SQLite keeps INTEGER.
Money = BigInteger().with_variant(Integer(), "sqlite")
BigCounter = Money


class DialectComputed(Computed):
    """A generated column whose expression differs per dialect: SQLite's is VIRTUAL (as the
    migrations made it), PostgreSQL 15 has STORED only."""

    inherit_cache = True

    def __init__(self, sqlite: str, postgresql: str) -> None:
        super().__init__(sqlite, persisted=False)
        self.postgresql = postgresql


@compiles(DialectComputed, "postgresql")
def _computed_on_postgresql(element: DialectComputed, compiler: Any, **kw: Any) -> str:
    return f"GENERATED ALWAYS AS ({element.postgresql}) STORED"


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
        }
    )


class Tenant(Base):
    """A shop as a tenant: the owner of every shop-held row (its id leads their keys).

    A local file holds one; a server holds many. The shop's profile is `Shop`.
    """

    __tablename__ = "shops"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # A server's shops (migration 0014): `live` or the `test` shadow of `live_shop_id` (what
    # sk_test_ keys work in, so test data can never mix with live data); a suspended shop's
    # requests are refused; admins may be required to confirm logins with a TOTP code.
    mode: Mapped[str] = mapped_column(Text, default="live", server_default="live")
    live_shop_id: Mapped[str | None] = mapped_column(String(36))
    suspended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    admin_totp_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )


def _keyed(table: str, *columns: str) -> tuple[Any, ...]:
    """A shop-held table's primary key, led by the shop id (what a server scopes every query
    by and what Citus shards on), and an index on the row id alone for lookups by id."""
    return (
        PrimaryKeyConstraint("shop_id", *(columns or ("id",)), name=f"pk_{table}"),
        *([] if columns else [Index(f"ix_{table}_id", "id")]),
    )


def _ref(table: str, column: str, target: str, **options: Any) -> ForeignKeyConstraint:
    """A reference to another row of the same shop: (shop_id, column) -> (shop_id, id), so a
    row can never point into another shop."""
    return ForeignKeyConstraint(
        ["shop_id", column],
        [f"{target}.shop_id", f"{target}.id"],
        name=f"fk_{table}_{column}",
        **options,
    )


class ShopHeld:
    """A model whose rows one shop holds: what store/tenancy.py stamps and scopes, with one
    loader criterion for all of them. Models keyed otherwise redeclare `shop_id`."""

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"))


class ShopOwned(ShopHeld):
    """Columns and mapping of a row held by one shop. The ORM identifies a row by its id
    alone (ids are UUIDs), so `session.get(Model, id)` keeps working."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"primary_key": [cls.__table__.c.id]}  # type: ignore[attr-defined]


class Shop(ShopHeld, Base):
    """The merchant's own profile: one row per shop."""

    __tablename__ = "shop"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), unique=True)
    legal_name: Mapped[str] = mapped_column(Text)
    trading_name: Mapped[str | None] = mapped_column(Text)
    street: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str | None] = mapped_column(Text)
    registration_number: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    iban: Mapped[str | None] = mapped_column(Text)
    bic: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    language: Mapped[str] = mapped_column(String(2), default="en")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=14)
    vat_status: Mapped[str] = mapped_column(Text, default="registered")
    oss_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    invoice_number_format: Mapped[str] = mapped_column(Text, default="INV-{year}-{seq:06d}")
    credit_note_number_format: Mapped[str] = mapped_column(Text, default="CN-{year}-{seq:06d}")
    eu_b2c_sales_outside_current_year: Mapped[Decimal] = mapped_column(
        DecimalText, default=Decimal(0)
    )
    eu_b2c_sales_outside_previous_year: Mapped[Decimal] = mapped_column(
        DecimalText, default=Decimal(0)
    )
    logo_path: Mapped[str | None] = mapped_column(Text)
    peppol_id: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Customer(ShopOwned, Base):
    __tablename__ = "customers"
    __table_args__ = _keyed("customers")

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    name: Mapped[str] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str | None] = mapped_column(Text)
    is_business: Mapped[bool | None] = mapped_column(Boolean)
    email: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str | None] = mapped_column(String(3))
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    vies_valid: Mapped[bool | None] = mapped_column(Boolean)
    vies_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    vies_name: Mapped[str | None] = mapped_column(Text)
    vies_address: Mapped[str | None] = mapped_column(Text)
    vies_request_id: Mapped[str | None] = mapped_column(Text)
    peppol_id: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Product(ShopOwned, Base):
    __tablename__ = "products"
    __table_args__ = _keyed("products")

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(Text, default="C62")
    unit_price: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    rate_class: Mapped[str] = mapped_column(Text, default="standard")
    supply_kind: Mapped[str] = mapped_column(Text, default="goods")
    art59_service: Mapped[bool] = mapped_column(Boolean, default=False)
    sku: Mapped[str | None] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NumberSeries(ShopHeld, Base):
    """The next number of a series in a year: updated inside the issuing transaction."""

    __tablename__ = "number_series"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    series: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)


class Invoice(ShopOwned, Base):
    """A draft, an issued invoice or a credit note (kind)."""

    __tablename__ = "invoices"
    __table_args__ = (
        *_keyed("invoices"),
        UniqueConstraint("shop_id", "number"),
        _ref("invoices", "customer_id", "customers"),
        _ref("invoices", "credited_invoice_id", "invoices"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    kind: Mapped[str] = mapped_column(Text, default="invoice")
    number: Mapped[str | None] = mapped_column(Text)
    series: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    customer_id: Mapped[str] = mapped_column(String(36))
    customer_name: Mapped[str] = mapped_column(Text)  # denormalised for search and lists
    currency: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    supply_date: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    due_days: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    buyer_reference: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    credited_invoice_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    # Frozen at issue: seller and buyer as they were, the engine's requirements, totals.
    seller: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    buyer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requirements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    exchange_rate: Mapped[Decimal | None] = mapped_column(DecimalText)
    net_minor: Mapped[int] = mapped_column(Money, default=0)
    vat_minor: Mapped[int] = mapped_column(Money, default=0)
    gross_minor: Mapped[int] = mapped_column(Money, default=0)
    # EU cross-border B2C goods + TBE in euro cents, for the EUR 10,000 threshold.
    eu_b2c_eur_minor: Mapped[int] = mapped_column(Money, default=0)
    # Running figures, the only columns an issued row may change, kept by triggers as the sums
    # of the payments and issued credit notes (see triggers.py); code never sets them.
    paid_minor: Mapped[int] = mapped_column(Money, default=0)
    credited_minor: Mapped[int] = mapped_column(Money, default=0)
    pdf_sha256: Mapped[str | None] = mapped_column(Text)
    # Derived by the database (migration 0004): paid + credited covers the total.
    settled: Mapped[bool] = mapped_column(
        Integer,
        DialectComputed(
            "paid_minor + credited_minor >= gross_minor",
            "CASE WHEN paid_minor + credited_minor >= gross_minor THEN 1 ELSE 0 END",
        ),
        nullable=True,  # as migration 0004 added it
    )
    # Read from the snapshots by the database (migration 0007), indexed for the VAT summary.
    seller_country: Mapped[str | None] = mapped_column(
        Text, DialectComputed("json_extract(seller, '$.country')", "seller ->> 'country'")
    )
    buyer_vat_number: Mapped[str | None] = mapped_column(
        Text, DialectComputed("json_extract(buyer, '$.vat_number')", "buyer ->> 'vat_number'")
    )
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )
    vat_groups: Mapped[list[VatGroupRow]] = relationship(
        order_by="VatGroupRow.position", cascade="all, delete-orphan"
    )


class InvoiceLine(ShopOwned, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        *_keyed("invoice_lines"),
        _ref("invoice_lines", "invoice_id", "invoices", ondelete="CASCADE"),
        _ref("invoice_lines", "product_id", "products"),
        _ref("invoice_lines", "credited_line_id", "invoice_lines"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str | None] = mapped_column(String(36))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    unit_code: Mapped[str] = mapped_column(Text, default="C62")
    unit_price: Mapped[Decimal] = mapped_column(DecimalText)
    rate_class: Mapped[str] = mapped_column(Text, default="standard")
    supply_kind: Mapped[str] = mapped_column(Text, default="goods")
    art59_service: Mapped[bool] = mapped_column(Boolean, default=False)
    # Decided at issue (or copied from the original line for a credit note).
    net_minor: Mapped[int] = mapped_column(Money, default=0)
    category: Mapped[str | None] = mapped_column(Text)
    rate: Mapped[Decimal | None] = mapped_column(DecimalText)
    exemption_code: Mapped[str | None] = mapped_column(Text)
    exemption_text: Mapped[str | None] = mapped_column(Text)
    tax_country: Mapped[str | None] = mapped_column(Text)
    credited_line_id: Mapped[str | None] = mapped_column(String(36))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class VatGroupRow(ShopOwned, Base):
    """One row of an issued document's VAT breakdown (BG-23)."""

    __tablename__ = "vat_groups"
    __table_args__ = (
        *_keyed("vat_groups"),
        _ref("vat_groups", "invoice_id", "invoices", ondelete="CASCADE"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(Text)
    rate: Mapped[Decimal] = mapped_column(DecimalText)
    taxable_minor: Mapped[int] = mapped_column(Money)
    tax_minor: Mapped[int] = mapped_column(Money)
    exemption_code: Mapped[str | None] = mapped_column(Text)
    exemption_text: Mapped[str | None] = mapped_column(Text)
    tax_country: Mapped[str | None] = mapped_column(Text)  # whose VAT (OSS per Member State)


class Payment(ShopOwned, Base):
    __tablename__ = "payments"
    __table_args__ = (
        *_keyed("payments"),
        UniqueConstraint("shop_id", "method", "external_id"),
        _ref("payments", "invoice_id", "invoices"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str] = mapped_column(String(36))
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    # The payment's own id at its source (bank entry, Stripe intent, tx hash): booked once.
    external_id: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    overpayment: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PaymentRequest(ShopOwned, Base):
    """A way offered to pay an invoice: a Stripe Checkout link, a crypto payment request."""

    __tablename__ = "payment_requests"
    __table_args__ = (
        *_keyed("payment_requests"),
        UniqueConstraint("shop_id", "provider", "external_id"),
        _ref("payment_requests", "invoice_id", "invoices"),
    )

    id: Mapped[str] = mapped_column(String(36), default=new_id)
    invoice_id: Mapped[str] = mapped_column(String(36))
    provider: Mapped[str] = mapped_column(Text)  # stripe | crypto
    external_id: Mapped[str] = mapped_column(Text)  # Checkout Session id, request id
    url: Mapped[str] = mapped_column(Text)  # payment page, or the EIP-681 URI
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="open")  # open | paid | expired
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ChainCursor(ShopHeld, Base):
    """How far `invoicer pay watch` has scanned a chain for transfers to an address."""

    __tablename__ = "chain_cursors"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    chain_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(Text, primary_key=True)
    last_block: Mapped[int] = mapped_column(BigCounter)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class VatDayTotal(ShopHeld, Base):
    """VAT totals per issue day and key, kept by a trigger when a document is issued
    (migration 0008); code only reads them (the VAT summary). '' stands for "none"."""

    __tablename__ = "vat_day_totals"
    __table_args__ = ({"sqlite_with_rowid": False},)

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    issue_date: Mapped[str] = mapped_column(Text, primary_key=True)
    category: Mapped[str] = mapped_column(Text, primary_key=True)
    rate: Mapped[str] = mapped_column(Text, primary_key=True)
    currency: Mapped[str] = mapped_column(Text, primary_key=True)
    tax_country: Mapped[str] = mapped_column(Text, primary_key=True)
    seller_country: Mapped[str] = mapped_column(Text, primary_key=True)
    buyer_vat_number: Mapped[str] = mapped_column(Text, primary_key=True)
    taxable_minor: Mapped[int] = mapped_column(Money)
    tax_minor: Mapped[int] = mapped_column(Money)


class Device(ShopOwned, Base):
    """A device of the shop that writes events and issues documents (DESIGN.md §11).

    A device appears here once it is registered; a store whose events come from one
    unregistered device (the local app, device "local") numbers as it always did. Each
    registered device issues from its own series, `series_prefix` going into its numbers
    (e.g. INV-2026-B-000001); the one device with the empty prefix keeps the shop's formats
    as they are, so the first device of a shop keeps its numbers when a second one joins."""

    __tablename__ = "devices"
    __table_args__ = (
        *_keyed("devices"),
        UniqueConstraint("shop_id", "code"),
        UniqueConstraint("shop_id", "series_prefix"),
    )

    id: Mapped[str] = mapped_column(Text)
    code: Mapped[str] = mapped_column(Text)  # what the merchant sees
    series_prefix: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditHead(ShopHeld, Base):
    """Each device's newest audit event: its number in that device's chain and its hash,
    moved by a trigger as events are appended (migrations 0010, 0013): a chain whose tail
    was cut ends before its head."""

    __tablename__ = "audit_head"

    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(Text, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # the newest event's device_seq
    hash: Mapped[str] = mapped_column(Text)


class AuditEvent(ShopHeld, Base):
    """An append-only log of every mutation, SHA-256 chained per device (DESIGN.md §5, §11).

    `seq` is this file's own order of arrival; `id` (a UUID), `device_id` and `device_seq`
    (the device's own counter, 1, 2, ...) identify the event everywhere it is synced to.
    `schema_version` 1 marks events written before migration 0013 (partial payloads, hashed
    without id and device); from 2 on, `state` is the complete payload a replay applies."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("shop_id", "id"),
        UniqueConstraint("shop_id", "device_id", "device_seq"),
    )

    seq: Mapped[int] = mapped_column(BigCounter, primary_key=True, autoincrement=True)
    shop_id: Mapped[str] = mapped_column(String(36), ForeignKey("shops.id"), index=True)
    id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(Text)
    device_seq: Mapped[int] = mapped_column(Integer)
    schema_version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(Text)  # the previous event of the same device
    hash: Mapped[str] = mapped_column(Text)


# The indexes the migrations made (0002, 0003, 0005, 0007, 0009), for create_all and for
# comparing its schema with the migrations' (tests/store/test_schema_parity.py). The partial
# indexes' terms are word for word what the queries say (SQLite matches them textually).
UNSETTLED = "issued_at IS NOT NULL AND kind = 'invoice' AND settled = 0"


def _where(condition: str) -> dict[str, Any]:
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


Index("ix_invoices_issue_date", Invoice.issue_date, Invoice.id)
Index("ix_invoices_customer", Invoice.customer_id, Invoice.issue_date)
Index("ix_invoices_customer_name", Invoice.customer_name.collate("NOCASE"))
Index("ix_invoices_number_nocase", Invoice.number.collate("NOCASE"))
Index("ix_invoices_due_date", Invoice.due_date)
Index("ix_invoices_credited_invoice", Invoice.credited_invoice_id)
Index("ix_invoices_drafts", Invoice.created_at, **_where("issued_at IS NULL"))
Index(
    "ix_invoices_eu_b2c",
    Invoice.year,
    Invoice.eu_b2c_eur_minor,
    **_where("eu_b2c_eur_minor != 0"),
)
Index(
    "ix_invoices_unsettled",
    Invoice.issue_date,
    Invoice.due_date,
    Invoice.currency,
    Invoice.gross_minor,
    Invoice.paid_minor,
    Invoice.credited_minor,
    **_where(UNSETTLED),
)
Index(
    "ix_invoices_vat_report",
    Invoice.issue_date,
    Invoice.id,
    Invoice.currency,
    Invoice.seller_country,
    Invoice.buyer_vat_number,
    **_where("issued_at IS NOT NULL"),
)
Index("ix_invoice_lines_invoice", InvoiceLine.invoice_id, InvoiceLine.position)
Index(
    "ix_vat_groups_report",
    VatGroupRow.invoice_id,
    VatGroupRow.category,
    VatGroupRow.rate,
    VatGroupRow.tax_country,
    VatGroupRow.taxable_minor,
    VatGroupRow.tax_minor,
)
Index("ix_payments_invoice", Payment.invoice_id)
# The merchant stats (migration 0016): received per day, and issued invoices by day with
# what they owe, read from the index alone.
Index("ix_payments_date", Payment.date, Payment.currency, Payment.amount_minor)
Index(
    "ix_invoices_issued_stats",
    Invoice.issue_date,
    Invoice.kind,
    Invoice.currency,
    Invoice.customer_id,
    Invoice.gross_minor,
    Invoice.paid_minor,
    Invoice.credited_minor,
    Invoice.settled,
    **_where("issued_at IS NOT NULL"),
)
Index("ix_payment_requests_invoice", PaymentRequest.invoice_id)
Index("ix_payment_requests_open", PaymentRequest.provider, PaymentRequest.status)
Index("ix_customers_name", Customer.name.collate("NOCASE"))
Index("ix_products_name", Product.name.collate("NOCASE"))
Index("ix_audit_events_entity", AuditEvent.entity, AuditEvent.entity_id)

# PostgreSQL's case-insensitive collation (migration 0002 creates the same), before the
# indexes that use it.
event.listen(
    Base.metadata,
    "before_create",
    DDL(  # type: ignore[no-untyped-call]
        'CREATE COLLATION IF NOT EXISTS "NOCASE" '
        "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
    ).execute_if(dialect="postgresql"),
)


# The server's tables share this metadata (create_all, the parity test, the migrations).
from invoicer.store import accounts_schema as _accounts_schema  # noqa: E402, F401
from invoicer.store import checkout_schema as _checkout_schema  # noqa: E402, F401
from invoicer.store import mail_schema as _mail_schema  # noqa: E402, F401
from invoicer.store import quote_schema as _quote_schema  # noqa: E402, F401
from invoicer.store import recurring_schema as _recurring_schema  # noqa: E402, F401
from invoicer.store import sync_schema as _sync_schema  # noqa: E402, F401
