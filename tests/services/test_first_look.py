"""The first look into a database file (standard library only) shows what the services show,
and gives way to the services for anything unusual, leaving the file as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewDraft, ShopProfileChanges
from invoicer.services.context import DayClock
from invoicer.services.demo import fill_demo
from invoicer.services.first_look import FirstLook, first_look
from invoicer.services.local import SystemClock
from tests.services.conftest import SHOP, TODAY, Clock, dump

LOOK_CLOCK = DayClock(lambda: TODAY, SystemClock())  # the services' day, the real instant


@pytest.fixture
def backend() -> str:
    """The first look reads the SQLite file itself, before SQLAlchemy is imported."""
    return "sqlite"


def make_old_draft(db_path: Path, days: int = 20) -> None:
    """Back-date one draft's creation, as if it had waited since then (drafts may change)."""
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE invoices SET created_at = ? WHERE id = "
            "(SELECT id FROM invoices WHERE issued_at IS NULL LIMIT 1)",
            (created.strftime("%Y-%m-%d %H:%M:%S.%f"),),
        )


def test_the_first_look_is_the_services_dashboard(db_path: Path, clock: Clock) -> None:
    with open_services(db_path, today=clock) as svc:
        fill_demo(svc, invoices=80, seed=3)
        svc.invoices.create_draft(NewDraft(customer_id=svc.customers.list().items[0].id))
    make_old_draft(db_path)
    with open_services(db_path, today=clock) as svc:
        expected = svc.reports.dashboard()
        shop = svc.shop.get()
        locale = svc.shop.locale()
    assert shop is not None
    assert locale == "nl_NL"  # the demo shop writes Dutch

    look = first_look(db_path, LOOK_CLOCK)

    assert look == FirstLook(shop.trading_name or shop.legal_name, expected, locale)
    # ...and the comparison is not between two empty dashboards:
    assert len(expected.latest) == 8
    assert expected.open_total > expected.overdue_total > 0
    assert sum(expected.revenue_by_day_30d) == expected.revenue_30d > 0
    assert {a.kind for a in expected.attention} == {"overdue", "old_draft", "unverified_vat"}
    dates = [i.issue_date for i in expected.latest]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_the_first_look_changes_nothing(shop: Services, db_path: Path) -> None:
    before = dump(db_path)
    assert first_look(db_path, LOOK_CLOCK) is not None
    assert dump(db_path) == before


def test_a_relative_path_works_like_an_absolute_one(
    shop: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `invoicer --db shop.sqlite tui`, as the README shows it
    monkeypatch.chdir(db_path.parent)
    assert first_look(Path(db_path.name), LOOK_CLOCK) == first_look(db_path, LOOK_CLOCK) is not None


def test_a_missing_file_is_left_to_the_services(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    assert first_look(path, LOOK_CLOCK) is None
    assert not path.exists()


def test_a_shop_not_set_up_gets_the_setup_form_first(svc: Services, db_path: Path) -> None:
    assert first_look(db_path, LOOK_CLOCK) is None
    svc.shop.save(ShopProfileChanges(**SHOP))
    look = first_look(db_path, LOOK_CLOCK)
    assert look is not None
    assert look.shop_name == SHOP["legal_name"]  # it has no trading name


def test_files_that_are_not_ours_are_left_to_the_services_checks(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE shop (trading_name TEXT, legal_name TEXT)")
        db.execute("INSERT INTO shop VALUES ('Not us', 'Not us')")
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all " * 10)
    before = other.read_bytes(), text.read_bytes()
    assert first_look(other, LOOK_CLOCK) is None
    assert first_look(text, LOOK_CLOCK) is None
    assert (other.read_bytes(), text.read_bytes()) == before


def test_a_schema_that_needs_migrating_is_left_to_the_services(
    shop: Services, db_path: Path
) -> None:
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0006'")
    assert first_look(db_path, LOOK_CLOCK) is None
