"""Build a large Invoicer store quickly: `python bench/build_store.py DB [--invoices N]`.

DB is a new SQLite file or the SQLAlchemy URL of an empty PostgreSQL database
(`postgresql+psycopg://user@host:port/name`, created beforehand by its administrator).

Customers and products go through the services; issued invoices (5 lines each) are inserted
in bulk with SQLAlchemy Core, with the VAT decided by the real engine, the number counters
and the audit chain kept consistent, and about 60 % of the invoices paid. Used by the
store, TUI and GUI benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

from invoicer.domain.vat.engine import quote
from invoicer.domain.vat.model import (
    BuyerVat,
    LineSpec,
    QuoteRequest,
    RateClass,
    SellerVat,
    SupplyKind,
)
from invoicer.services import issuing
from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewProduct, ShopProfileChanges
from invoicer.services.demo import CUSTOMERS, PRODUCTS, SHOP
from invoicer.store import audit, schema
from invoicer.store.database import is_url
from invoicer.store.event_state import invoice_state, row_state

EVENT_COLUMNS = list(schema.AuditEvent.__table__.columns)

SURNAMES = [
    "Jansen",
    "de Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Müller",
    "Schmidt",
    "Dubois",
    "Martin",
    "Rossi",
    "García",
    "Nowak",
    "Novák",
    "Papadopoulos",
    "Virtanen",
]


def prepare(svc: Services, customers: int, rng: random.Random) -> tuple[list[Any], list[Any]]:
    svc.shop.save(ShopProfileChanges(**SHOP))
    rows = [svc.customers.add(NewCustomer(**c)) for c in CUSTOMERS]
    now = dt.datetime.now(dt.UTC)
    for row in rows:
        if row.vat_number and row.country != "NL":
            svc.customers.record_vies_check(row.id, True, now, row.name, row.city, "WAPIBENCH")
    for index in range(customers - len(rows)):
        rows.append(
            svc.customers.add(
                NewCustomer(
                    name=f"{rng.choice(SURNAMES)} {index:05d}",
                    country=rng.choice(["NL", "NL", "NL", "BE"]),
                    city="Utrecht",
                    street=f"Straat {index}",
                    postcode="3511 AA",
                )
            )
        )
    products = [svc.products.add(NewProduct(**p)) for p in PRODUCTS]
    return rows, products


def analyze(engine: Engine) -> None:
    """Statistics for the planner, as a store in use has them. On PostgreSQL also VACUUM
    (outside a transaction): the bulk UPDATE to issued leaves a dead version of every invoice,
    and the visibility map lets index-only scans skip the heap, as autovacuum would in time."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def size_of(target: Path | str) -> int:
    """The store's size in bytes: the file, or the PostgreSQL database."""
    if not is_url(target):
        return Path(target).stat().st_size
    with open_services(target) as svc, svc.db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())


def build(target: Path | str, invoices: int, customers: int = 300, seed: int = 1) -> float:
    """Fill a new store (a SQLite file's path, or an empty PostgreSQL database's URL);
    returns the seconds it took."""
    rng = random.Random(seed)
    started = time.perf_counter()
    svc = open_services(target)
    people, products = prepare(svc, customers, rng)
    goods = [p for p in products if p.supply_kind == "goods"]
    seller = SellerVat("NL", SHOP["vat_number"], oss_registered=True)
    shop_row = {"country": "NL"}
    seller_snapshot = {
        k: SHOP.get(k)
        for k in (
            "legal_name",
            "street",
            "postcode",
            "city",
            "country",
            "vat_number",
            "iban",
            "bic",
        )
    }
    seller_snapshot["name"] = seller_snapshot.pop("legal_name")
    today = dt.date.today()
    first = today - dt.timedelta(days=3 * 365)
    span = (today - first).days
    dates = sorted(first + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(invoices))
    counters: dict[int, int] = {}
    writer = audit.Writer("bench", audit.LOCAL_DEVICE, schema.utcnow)
    with svc.db.read() as session:
        device_seq, prev_hash = audit.chain_end(session, writer.device_id)
        # `seq` (the store's order of arrival) is set here, as audit.append_many does: on
        # PostgreSQL the column's sequence knows nothing of the events the services wrote.
        seq_of_events = session.execute(text("SELECT COALESCE(MAX(seq), 0) FROM audit_events"))
        last_seq = int(seq_of_events.scalar_one())
    chunk: dict[str, list[dict[str, Any]]] = {
        "inv": [],
        "line": [],
        "group": [],
        "pay": [],
        "event": [],
    }
    at = schema.utcnow()

    shop_id = svc.db.local_shop_id

    def flush() -> None:
        for rows in chunk.values():
            for row in rows:
                row["shop_id"] = shop_id
        with svc.db.engine.begin() as conn:
            # Insert as drafts, add lines and groups, then mark issued: the triggers freeze
            # an issued invoice's lines, exactly as in the app.
            conn.execute(
                insert(schema.Invoice.__table__),
                [dict(row, issued_at=None) for row in chunk["inv"]],
            )
            conn.execute(insert(schema.InvoiceLine.__table__), chunk["line"])
            conn.execute(insert(schema.VatGroupRow.__table__), chunk["group"])
            conn.execute(
                text(
                    "UPDATE invoices SET issued_at = :at "
                    "WHERE issued_at IS NULL AND kind = 'invoice'"
                ),
                {"at": at},
            )
            if chunk["pay"]:
                conn.execute(insert(schema.Payment.__table__), chunk["pay"])
            conn.execute(insert(schema.AuditEvent.__table__), chunk["event"])
        for rows in chunk.values():
            rows.clear()

    for day in dates:
        customer = rng.choice(people)
        picks = [
            rng.choice(goods if customer.country in ("US", "GB", "IS", "CH", "ES") else products)
            for _ in range(5)
        ]
        if customer.country in ("US", "IS", "CH") and any(p.supply_kind != "goods" for p in picks):
            picks = [rng.choice(goods) for _ in range(5)]
        lines = tuple(
            LineSpec(
                Decimal(rng.randint(1, 9)),
                p.unit_price,
                RateClass(p.rate_class),
                SupplyKind(p.supply_kind),
                p.art59_service,
                p.name,
            )
            for p in picks
        )
        result = quote(
            QuoteRequest(
                seller,
                BuyerVat(
                    customer.country,
                    customer.postcode,
                    customer.vat_number,
                    vat_verified=True,
                    is_business=customer.is_business,
                ),
                day,
                "EUR",
                lines,
            )
        )
        seq = counters[day.year] = counters.get(day.year, 0) + 1
        invoice = schema.Invoice(
            id=str(uuid.uuid4()),
            kind="invoice",
            number=f"INV-{day.year}-{seq:06d}",
            series="invoice",
            year=day.year,
            seq=seq,
            customer_id=customer.id,
            customer_name=customer.name,
            currency="EUR",
            language="en",
            issue_date=day,
            supply_date=day,
            due_days=14,
            due_date=day + dt.timedelta(days=14),
            seller=seller_snapshot,
            buyer={
                "name": customer.name,
                "country": customer.country,
                "vat_number": customer.vat_number,
            },
            requirements=issuing.requirements_json(result),
            net_minor=result.net_minor,
            vat_minor=result.vat_minor,
            gross_minor=result.gross_minor,
            paid_minor=0,
            credited_minor=0,
            eu_b2c_eur_minor=0,
            issued_at=at,
            created_at=at,
            updated_at=at,
        )
        invoice.lines = [
            schema.InvoiceLine(
                id=str(uuid.uuid4()),
                invoice_id=invoice.id,
                position=n,
                product_id=p.id,
                description=p.name,
                quantity=spec.quantity,
                unit_code=p.unit_code,
                unit_price=spec.unit_price,
                rate_class=p.rate_class,
                supply_kind=p.supply_kind,
                art59_service=p.art59_service,
                net_minor=d.net_minor,
                category=d.category.value,
                rate=d.rate,
                exemption_code=d.exemption_code,
                exemption_text=d.exemption_text,
                tax_country=d.tax_country,
            )
            for n, (p, spec, d) in enumerate(zip(picks, lines, result.lines, strict=True), 1)
        ]
        issuing.apply_quote(None, invoice, result)  # type: ignore[arg-type]
        for group in invoice.vat_groups:
            group.id, group.invoice_id = str(uuid.uuid4()), invoice.id
        # Like a real shop: old invoices are almost all paid, recent ones partly.
        age = (today - day).days
        payment: dict[str, Any] | None = None
        if rng.random() < (0.97 if age > 60 else 0.5 if age > 10 else 0.0):
            # (a trigger adds it to the invoice's paid_minor, as in the app)
            payment = {
                "id": str(uuid.uuid4()),
                "invoice_id": invoice.id,
                "amount_minor": invoice.gross_minor,
                "currency": "EUR",
                "date": day + dt.timedelta(days=rng.randint(1, 30)),
                "method": "bank_transfer",
                "reference": invoice.number,
                "external_id": None,
                "extra": None,
                "overpayment": False,
                "created_at": at,
            }
            chunk["pay"].append(payment)
        # The events as the services write them (complete payloads, the device's chain).
        events = [
            (
                "invoice.issue",
                "invoice",
                invoice.id,
                {**invoice_state(invoice), "digest": issuing.content_digest(invoice)},
            )
        ]
        if payment is not None:
            state = {"row": row_state(schema.Payment(**payment)), "invoice": invoice.number}
            events.append(("payment.add", "payment", payment["id"], state))
        for action, entity, entity_id, state in events:
            device_seq += 1
            last_seq += 1
            event = audit.new_event(writer, device_seq, prev_hash, action, entity, entity_id, state)
            event.seq = last_seq
            chunk["event"].append({c.key: getattr(event, c.key) for c in EVENT_COLUMNS})
            prev_hash = event.hash
        chunk["inv"].append(
            {
                c.key: getattr(invoice, c.key)
                for c in schema.Invoice.__table__.columns
                if c.computed is None
            }
        )
        chunk["line"] += [
            {c.key: getattr(l, c.key) for c in schema.InvoiceLine.__table__.columns}
            for l in invoice.lines  # noqa: E741
        ]
        chunk["group"] += [
            {c.key: getattr(g, c.key) for c in schema.VatGroupRow.__table__.columns}
            for g in invoice.vat_groups
        ]
        if len(chunk["inv"]) >= 5000:
            flush()
    if chunk["inv"]:
        flush()
    with svc.db.engine.begin() as conn:
        for year, seq in counters.items():
            conn.execute(
                text(
                    "INSERT INTO number_series (shop_id, series, year, next_seq) "
                    "VALUES (:shop, 'invoice', :y, :n)"
                ),
                {"shop": shop_id, "y": year, "n": seq + 1},
            )
    analyze(svc.db.engine)
    svc.close()
    del shop_row
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", help="a new SQLite file, or an empty PostgreSQL database's URL")
    parser.add_argument("--invoices", type=int, default=100_000)
    args = parser.parse_args()
    if not is_url(args.db) and Path(args.db).exists():
        parser.error(f"{args.db} exists; give a new file")
    seconds = build(args.db if is_url(args.db) else Path(args.db), args.invoices)
    size = size_of(args.db) / 1e6
    print(f"built {args.invoices:,} invoices in {seconds:.1f} s ({size:.0f} MB): {args.db}")


if __name__ == "__main__":
    main()
