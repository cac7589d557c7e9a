"""Several processes catching up at once on one store (SQLite file and PostgreSQL): each
period is made once, its invoice issued once, numbers gap-free; and the database itself
refuses a second run row for a period."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges
from invoicer.store.recurring_schema import RecurringRun
from tests.backends import rows
from tests.conftest import REPO_ROOT

from .conftest import SHOP
from .recurring_setup import customer, template

D = dt.date


def spawn(path: Path | str, day: str, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.services.recurring_runner", str(path), day, str(go)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_four_processes_at_once_make_each_period_once(
    db_target: Path | str, tmp_path: Path
) -> None:
    with open_services(db_target) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        jan = customer(svc)
        monthly = template(svc, jan, auto_issue=True, start_date=D(2026, 1, 31))
        weekly = template(svc, jan, name="Weekly", frequency="weekly", start_date=D(2026, 3, 2))
    go = tmp_path / "go"
    workers = [spawn(db_target, "2026-06-15", go) for _ in range(4)]
    go.touch()
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0] * 4, [err for _, err in outputs]
    made = [line.split() for out, _ in outputs for line in out.splitlines()]
    assert not [line for line in made if line[0] == "FAILED"], made
    keys = sorted((line[0], int(line[1])) for line in made)
    assert keys == sorted({*keys})  # no period twice, whichever process made it
    assert sorted(i for t, i in keys if t == monthly) == [0, 1, 2, 3, 4]  # Jan 31 ... May 31
    assert sorted(i for t, i in keys if t == weekly) == list(range(16))  # Mar 2 ... Jun 15
    numbers = sorted(line[2] for line in made if line[0] == monthly)
    assert numbers == [f"INV-2026-00000{n}" for n in range(1, 6)]
    [(invoices,)] = rows(db_target, "SELECT count(*) FROM invoices")
    [(runs,)] = rows(db_target, "SELECT count(*) FROM recurring_runs")
    assert invoices == runs == 21
    with open_services(db_target) as svc:
        assert svc.audit.verify().ok


def test_the_database_refuses_a_second_run_of_a_period(shop: Services) -> None:
    tid = template(shop, start_date=D(2026, 1, 1))
    [made] = shop.recurring_runs.run_due(D(2026, 1, 1)).made
    again = RecurringRun(
        template_id=tid,
        period_index=0,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 1, 31),
        invoice_id=made.invoice_id,
    )

    def insert_again() -> None:
        with shop.write() as session:
            session.add(again)

    with pytest.raises(IntegrityError):
        insert_again()
    assert len(shop.recurring.runs(tid)) == 1
