"""Opening files: ours, not ours, newer; upgrades from the first revision; the triggers
(those on both backends: `db_target` is a SQLite file or a PostgreSQL database)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    RecordPayment,
    ShopProfileChanges,
)
from invoicer.store.database import (
    Database,
    DatabaseRefused,
    _head_and_known,
    migrate,
    newest_migration,
)
from tests.backends import dialect, execute, rows
from tests.tampering import tamper

from .conftest import SHOP

# The tables whose rows belong to a shop and carry its id (migration 0012).
SHOP_TABLES = (
    "shop", "customers", "products", "number_series", "invoices", "invoice_lines", "vat_groups",
    "payments", "audit_events", "vat_day_totals",
)  # fmt: skip


def make_invoice(svc: Services) -> str:
    svc.shop.save(ShopProfileChanges(**SHOP)) if not svc.shop.is_set_up() else None
    customer = svc.customers.add(
        NewCustomer(
            name="Jan Jansen",
            country="NL",
            street="Kerkstraat 1",
            postcode="1017 GA",
            city="Amsterdam",
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(draft.id, NewLine(description="Widget", unit_price="10", quantity="2"))
    return svc.invoices.issue(draft.id).id


def test_a_new_database_is_created_with_wal_and_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite"
    with open_services(path) as svc:
        make_invoice(svc)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x494E5643
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migration_files_are_named_after_their_revision() -> None:
    # open_database's fast path trusts the newest file name to be Alembic's head.
    head, known = _head_and_known()
    assert newest_migration() == head
    versions = Path(__file__).resolve().parents[2] / "invoicer" / "store" / "migrations"
    names = {p.name[:4] for p in (versions / "versions").glob("[0-9]*.py")}
    assert names == known


def test_an_up_to_date_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "current.sqlite"
    with open_services(path) as svc:
        make_invoice(svc)
    probe = (
        "import sys; from invoicer.services.app import open_services\n"
        f"svc = open_services({str(path)!r}); print(svc.invoices.list().total)\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["1", "False"]


@pytest.mark.parametrize(
    "content", [b"hello, not a database\n" * 10, b"\x00" * 4096], ids=["text", "zeros"]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(DatabaseRefused, match="not an Invoicer database"):
        open_services(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused, match="another application"):
        open_services(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_services(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused, match="newer version"):
        open_services(path)
    assert path.read_bytes() == before


def test_a_first_revision_database_with_data_upgrades_with_nothing_lost(tmp_path: Path) -> None:

    path = tmp_path / "old.sqlite"
    with open_services(path) as svc:
        invoice_id = make_invoice(svc)
        svc.shop.save(ShopProfileChanges(vat_status="oss"))
        consumer = svc.customers.add(
            NewCustomer(
                name="Anna Gruber",
                country="AT",
                street="Ringstraße 1",
                postcode="1010",
                city="Wien",
            )
        ).id
        draft = svc.invoices.create_draft(NewDraft(customer_id=consumer))
        svc.invoices.add_line(draft.id, NewLine(description="Teapot", unit_price="100"))
        oss_id = svc.invoices.issue(draft.id).id
        svc.payments.add(invoice_id, RecordPayment(amount="5.00"))
        svc.products.add(NewProduct(name="Teapot", unit_price="100"))
        before = [svc.invoices.get(i) for i in (invoice_id, oss_id)]
    # Take the file back to what revision 0001 made, data included.
    database = Database(path)
    with database.engine.connect() as connection:
        migrate(connection, "downgrade", "0001")
        columns = [r[1] for r in connection.exec_driver_sql("PRAGMA table_info(vat_groups)")]
        assert "tax_country" not in columns
    database.close()
    with open_services(path) as svc:
        assert [svc.invoices.get(i) for i in (invoice_id, oss_id)] == before
        assert svc.audit.verify().ok
        oss = svc.reports.vat_summary(before[1].issue_date, before[1].issue_date).oss  # type: ignore[arg-type]
        assert [(row.country, row.rate, row.tax) for row in oss] == [("AT", Decimal(20), 20)]
        with svc.db.read() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            indexes = set(
                session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")
                ).scalars()
            )
            shops = session.execute(text("SELECT id FROM shops")).scalars().all()
            profile = session.execute(text("SELECT id, shop_id FROM shop")).one()
            owners = {
                table: set(session.execute(text(f"SELECT DISTINCT shop_id FROM {table}")).scalars())
                for table in SHOP_TABLES
            }
    assert version == newest_migration()
    # The one shop the file holds is its profile's, and every row it holds carries it.
    assert shops == [profile.id] == [profile.shop_id]
    assert owners == {table: {profile.id} for table in SHOP_TABLES}
    assert {"ix_invoices_customer_name", "ix_invoices_unsettled"} <= indexes
    backups = [p for p in tmp_path.iterdir() if ".before-upgrade-" in p.name]
    assert len(backups) == 1  # the copy taken before upgrading


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE invoices SET gross_minor = 1 WHERE number IS NOT NULL",
        "UPDATE invoices SET number = 'INV-X' WHERE number IS NOT NULL",
        "DELETE FROM invoices WHERE number IS NOT NULL",
        "UPDATE invoice_lines SET unit_price = '0'",
        "DELETE FROM invoice_lines",
        "INSERT INTO invoice_lines (id, shop_id, invoice_id, position, description, quantity, "
        "unit_code, unit_price, rate_class, supply_kind, art59_service, net_minor) SELECT 'x', "
        "shop_id, id, 9, 'x', '1', 'C62', '1', 'standard', 'goods', FALSE, 100 FROM invoices",
        "UPDATE invoices SET shop_id = (SELECT replace(id, '-', '_') FROM shops) "
        "WHERE number IS NOT NULL",
        "UPDATE vat_groups SET tax_minor = 0",
        "UPDATE payments SET amount_minor = 1",
        "DELETE FROM payments",
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM audit_events",
        "UPDATE invoices SET paid_minor = 0",
        "UPDATE number_series SET next_seq = next_seq + 2",
        "DELETE FROM number_series",
        "UPDATE audit_head SET seq = seq - 1",
        "DELETE FROM audit_head",
    ],
)
def test_the_database_refuses_changes_to_issued_documents(
    db_target: Path | str, statement: str
) -> None:
    with open_services(db_target) as svc:
        invoice_id = make_invoice(svc)
        svc.payments.add(invoice_id, RecordPayment(amount="1.00"))
    before = rows(db_target, "SELECT * FROM invoices ORDER BY id")
    with pytest.raises(IntegrityError):
        execute(db_target, statement)
    assert rows(db_target, "SELECT * FROM invoices ORDER BY id") == before


def test_running_figures_of_an_issued_invoice_may_move(db_target: Path | str) -> None:
    with open_services(db_target) as svc:
        invoice_id = make_invoice(svc)
        svc.payments.add(invoice_id, RecordPayment(amount="1.00"))
        svc.invoices.set_pdf_sha256(invoice_id, "a" * 64)
        with pytest.raises(Exception, match="different PDF"):
            svc.invoices.set_pdf_sha256(invoice_id, "b" * 64)
        assert svc.invoices.get(invoice_id).paid == Decimal("1.00")  # kept by a trigger
        assert svc.audit.verify().ok
    with pytest.raises(IntegrityError):
        execute(db_target, "UPDATE invoices SET pdf_sha256 = 'c' WHERE id = :id", id=invoice_id)


def test_audit_verify_detects_changes_made_with_the_triggers_dropped(
    db_target: Path | str,
) -> None:
    path = db_target
    with open_services(path) as svc:
        make_invoice(svc)
        make_invoice(svc)
        assert svc.audit.verify().ok
    tamper(
        path,
        "UPDATE invoice_lines SET unit_price = '1', net_minor = 100 WHERE invoice_id = "
        "(SELECT id FROM invoices WHERE number = 'INV-2026-000002')",
    )
    with open_services(path) as svc:
        report = svc.audit.verify()
    assert not report.ok
    assert report.tampered_invoices == ("INV-2026-000002",)


def test_audit_verify_detects_changed_vat_day_totals(db_target: Path | str) -> None:
    path = db_target
    with open_services(path) as svc:
        make_invoice(svc)
    tamper(path, "UPDATE vat_day_totals SET tax_minor = tax_minor - 100")
    with open_services(path) as svc:
        report = svc.audit.verify()
    assert not report.ok
    assert report.tampered_invoices == ()  # the documents themselves are intact
    assert report.problem is not None
    assert "1 VAT day total(s) differ" in report.problem  # one key, counted once
    tamper(path, "DELETE FROM vat_day_totals")
    with open_services(path) as svc:
        assert "1 VAT day total(s) differ" in (svc.audit.verify().problem or "")


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3", "changed"),
        ("DELETE FROM audit_events WHERE seq = 3", "missing"),
        ("UPDATE audit_events SET prev_hash = hash WHERE seq = 4", "link"),
    ],
)
def test_audit_verify_detects_a_broken_chain(
    db_target: Path | str, statement: str, problem: str
) -> None:
    path = db_target
    with open_services(path) as svc:
        make_invoice(svc)
    tamper(path, statement)
    with open_services(path) as svc:
        report = svc.audit.verify()
    assert not report.ok
    assert problem in (report.problem or "")
    assert report.first_bad_seq in (3, 4)


def test_amounts_are_stored_as_integers_and_decimal_text(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with open_services(path) as svc:
        make_invoice(svc)
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT typeof(gross_minor), typeof(q.quantity), q.unit_price FROM invoices "
        "JOIN invoice_lines q ON q.invoice_id = invoices.id"
    ).fetchone()
    assert row == ("integer", "text", "10")
    assert Decimal(row[2]) == 10


def test_amounts_beyond_32_bits_round_trip(db_target: Path | str) -> None:
    # PostgreSQL's INTEGER is 32-bit: money columns are BIGINT there.
    with open_services(db_target) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        customer = svc.customers.add(
            NewCustomer(
                name="Jan Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA",
                city="Amsterdam",
            )
        )  # fmt: skip
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
        svc.invoices.add_line(draft.id, NewLine(description="Ship", unit_price="5000000000.00"))
        issued = svc.invoices.issue(draft.id)
        svc.payments.add(issued.id, RecordPayment(amount="3000000000.00"))
        again = svc.invoices.get(issued.id)
        assert again.net == Decimal("5000000000.00")  # 500,000,000,000 cents > 2**31
        assert again.paid == Decimal("3000000000.00")
        assert again.issue_date == issued.issue_date  # a date, as stored
        assert svc.audit.verify().ok


def test_a_new_database_has_exactly_the_triggers_triggers_py_lists(db_target: Path | str) -> None:
    from invoicer.store.triggers import FEED, NAMES

    with open_services(db_target) as svc:
        make_invoice(svc)
    if dialect(db_target) == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type='trigger'"
    names = {name for (name,) in rows(db_target, query)}
    assert names - {"vat_day_totals_on_issue"} == {*NAMES, FEED}


def test_audit_verify_detects_running_figures_set_by_hand(db_target: Path | str) -> None:
    with open_services(db_target) as svc:
        invoice_id = make_invoice(svc)
        svc.payments.add(invoice_id, RecordPayment(amount="1.00"))
    tamper(db_target, "UPDATE invoices SET paid_minor = 0")
    with open_services(db_target) as svc:
        report = svc.audit.verify()
    assert not report.ok
    assert [p.kind for p in report.problems if p.kind == "paid"] == ["paid"], report.problems
