"""Several processes on one store, and processes killed mid-issue (DESIGN.md §9), on SQLite
(BEGIN IMMEDIATE) and on PostgreSQL (the advisory write lock, the counter row's lock)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from invoicer.services.app import open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from tests.backends import rows
from tests.conftest import REPO_ROOT

from .conftest import SHOP


def prepared(path: Path | str) -> Path | str:
    with open_services(path) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        svc.customers.add(
            NewCustomer(
                name="Jan Jansen",
                country="NL",
                street="Kerkstraat 1",
                postcode="1017 GA",
                city="Amsterdam",
            )
        )
    return path


def spawn(path: Path | str, count: int, *device: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.issuer", str(path), str(count), *device],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def assert_consistent(path: Path | str) -> list[int]:
    """Gap-free numbers, every issued invoice complete, the audit chain intact."""
    seqs = [r[0] for r in rows(
        path, "SELECT seq FROM invoices WHERE issued_at IS NOT NULL ORDER BY seq"
    )]  # fmt: skip
    assert seqs == list(range(1, len(seqs) + 1))
    counter = rows(path, "SELECT next_seq FROM number_series")
    assert counter == [] or counter[0][0] == len(seqs) + 1
    [(incomplete,)] = rows(
        path,
        "SELECT count(*) FROM invoices i WHERE issued_at IS NOT NULL AND ("
        " (SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id) != 2"
        " OR (SELECT count(*) FROM vat_groups g WHERE g.invoice_id = i.id) != 2"
        " OR gross_minor != 3859 OR seller IS NULL OR buyer IS NULL"
        " OR (SELECT count(*) FROM audit_events e WHERE e.entity_id = i.id"
        "     AND e.action = 'invoice.issue') != 1)",
    )
    assert incomplete == 0
    with open_services(path) as svc:
        report = svc.audit.verify()
        assert report.ok, report
    return seqs


def test_four_processes_issuing_at_once_get_unique_gap_free_numbers(
    db_target: Path | str,
) -> None:
    path = prepared(db_target)
    per_process = 15
    workers = [spawn(path, per_process) for _ in range(4)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], [err for _, err in outputs]
    numbers = [n for out, _ in outputs for n in out.split()]
    assert len(numbers) == len(set(numbers)) == 4 * per_process
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 61))
    assert assert_consistent(path) == list(range(1, 61))


def test_a_process_killed_while_issuing_loses_nothing_and_leaves_no_gap(
    db_target: Path | str,
) -> None:
    path = prepared(db_target)
    rng = random.Random(7)
    issued_before = 0
    for _ in range(12):
        worker = spawn(path, -1)
        assert worker.stdout is not None
        first = worker.stdout.readline()  # it is issuing now, whatever the machine's load
        time.sleep(rng.uniform(0.0, 0.05))  # then kill it somewhere in the middle of a loop
        os.kill(worker.pid, signal.SIGKILL)
        out, _ = worker.communicate()
        out = first + out
        seqs = assert_consistent(path)
        # Everything the process reported as issued is there (committed work survives).
        assert len(seqs) >= issued_before + len(out.split())
        issued_before = len(seqs)
    with open_services(path) as svc:
        customer = svc.customers.list().items[0].id
        draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
        svc.invoices.add_line(draft.id, NewLine(description="After", unit_price="1"))
        number = svc.invoices.issue(draft.id).number
    assert number is not None
    assert number.endswith(f"{issued_before + 1:06d}")
    assert issued_before >= 12  # every kill hit a process that was issuing


def test_two_devices_issuing_at_once_each_number_gap_free_in_their_own_series(
    tmp_path: Path,
) -> None:
    path = prepared(tmp_path / "devices.sqlite")
    with open_services(path) as svc:
        svc.devices.register("local", "A", series_prefix="")
        svc.devices.register("dev-b", "B")
    workers = [spawn(path, 10, device) for device in ("local", "dev-b", "local", "dev-b")]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], [err for _, err in outputs]
    numbers = [n for out, _ in outputs for n in out.split()]
    ours = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if "-B-" not in n)
    theirs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if "-B-" in n)
    assert ours == theirs == list(range(1, 21))
    with open_services(path) as svc:
        report = svc.audit.verify()
    assert report.ok, report
