"""Every row belongs to one shop (migration 0012, store/tenancy.py): the shop id leads the keys,
new rows get the transaction's shop, no row can point into another shop, numbers are unique per
shop, and a transaction that names its shop sees only that shop's rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from invoicer.services.issuing import next_number
from invoicer.store import schema
from invoicer.store.database import Database, open_database

# The server's platform tables (users, API keys, its event log, idempotent answers) name a
# shop but are looked up across shops by design (a login names no shop yet): Citus would keep
# them as reference tables (docs/scaling.md). Shop settings and logos are shop-held.
PLATFORM = {"server_users", "api_keys", "server_events", "idempotent_responses"}
SHOP_HELD = [
    name
    for name, table in schema.Base.metadata.tables.items()
    if "shop_id" in table.columns and name != "shop" and name not in PLATFORM
]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "shops.sqlite")
    yield database
    database.close()


def second_shop(db: Database) -> str:
    with db.write() as session:
        tenant = schema.Tenant()
        session.add(tenant)
    return tenant.id


def add_customer(db: Database, shop_id: str | None, name: str) -> str:
    with db.write(shop_id=shop_id) as session:
        customer = schema.Customer(name=name, country="NL")
        session.add(customer)
    return customer.id


def test_the_shop_id_leads_every_key_of_a_shops_rows(db: Database) -> None:
    inspector = sa.inspect(db.engine)
    assert {"customers", "invoices", "invoice_lines", "payments", "number_series"} <= set(SHOP_HELD)
    for table in SHOP_HELD:
        key = inspector.get_pk_constraint(table)["constrained_columns"]
        if table != "audit_events":  # the log's key is its sequence (one chain per file)
            assert key[0] == "shop_id", table
        for unique in inspector.get_unique_constraints(table):
            assert unique["column_names"][0] == "shop_id", (table, unique)
        for reference in inspector.get_foreign_keys(table):
            if reference["referred_table"] != "shops":
                assert reference["constrained_columns"][0] == "shop_id", (table, reference)
                assert reference["referred_columns"][0] == "shop_id", (table, reference)


def test_a_local_file_holds_one_shop_and_new_rows_belong_to_it(db: Database) -> None:
    shop_id = db.local_shop_id
    assert shop_id is not None
    customer = add_customer(db, None, "Jan")
    with db.read() as session:
        assert session.get(schema.Customer, customer).shop_id == shop_id


def test_new_rows_belong_to_the_shop_the_transaction_names(db: Database) -> None:
    other = second_shop(db)
    customer = add_customer(db, other, "Hans")
    with db.read(shop_id=other) as session:
        assert session.get(schema.Customer, customer).shop_id == other


def test_a_row_cannot_point_into_another_shop(db: Database) -> None:
    other = second_shop(db)
    theirs = add_customer(db, other, "Hans")
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), db.write() as session:
        session.add(
            schema.Invoice(customer_id=theirs, customer_name="Hans", currency="EUR", language="nl")
        )
    with db.read() as session:
        assert session.execute(sa.select(sa.func.count()).select_from(schema.Invoice)).scalar() == 0


def test_numbers_are_gap_free_per_shop_and_unique_within_one(db: Database) -> None:
    other = second_shop(db)
    fmt = "INV-{year}-{seq:06d}"
    with db.write() as session:
        mine = [next_number(session, "invoice", 2026, fmt)[1] for _ in range(2)]
    with db.write(shop_id=other) as session:
        theirs = [next_number(session, "invoice", 2026, fmt)[1] for _ in range(3)]
    assert mine == ["INV-2026-000001", "INV-2026-000002"]
    assert theirs == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    customer = add_customer(db, None, "Jan")
    draft = {"customer_id": customer, "customer_name": "Jan", "currency": "EUR", "language": "nl"}
    with db.write() as session:
        session.add(schema.Invoice(number=mine[0], **draft))
    with pytest.raises(IntegrityError, match="UNIQUE"), db.write() as session:
        session.add(schema.Invoice(number=mine[0], **draft))


def test_a_transaction_that_names_its_shop_sees_only_its_rows(db: Database) -> None:
    other = second_shop(db)
    add_customer(db, None, "Jan")
    hans = add_customer(db, other, "Hans")
    with db.write(shop_id=other) as session:
        session.add(schema.Product(name="Tea", unit_price=Decimal("2.50")))
    with db.read(shop_id=other) as session:
        names = session.execute(sa.select(schema.Customer.name)).scalars().all()
        assert names == ["Hans"]
        assert session.execute(sa.select(schema.Product.name)).scalars().all() == ["Tea"]
    with db.read(shop_id=db.local_shop_id) as session:
        assert session.execute(sa.select(schema.Customer.name)).scalars().all() == ["Jan"]
        assert session.execute(sa.select(schema.Product)).scalars().all() == []
        assert session.get(schema.Customer, hans) is None  # another shop's id finds nothing
