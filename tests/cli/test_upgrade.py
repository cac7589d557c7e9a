"""Opening a file made by an older version says that it is being upgraded, and where the copy
of the old file is; an up-to-date file opens silently."""

from __future__ import annotations

import pytest

from invoicer.store.database import Database, migrate
from tests.cli.conftest import ADDRESS, Cli


def downgrade(cli: Cli, revision: str) -> None:
    database = Database(cli.db)
    with database.engine.connect() as connection:
        migrate(connection, "downgrade", revision)
    database.close()


def test_an_older_file_is_upgraded_with_a_notice(ready: Cli) -> None:
    _, _, err = ready("invoice", "list")
    assert err == ""  # up to date: nothing to say
    downgrade(ready, "0007")

    _, _, err = ready("invoice", "list")

    backups = list(ready.db.parent.glob("cli.sqlite.before-upgrade-*.bak"))
    assert len(backups) == 1
    assert err == (
        "Upgrading cli.sqlite for this version of Invoicer; "
        f"the file as it was is kept as {backups[0].name}.\n"
    )
    assert ready("invoice", "list")[2] == ""  # once


def test_a_0009_file_gets_the_derived_figures_and_the_head(ready: Cli) -> None:
    import sqlite3

    customer = ready.json("customer", "add", "--name", "Jan", "--country", "NL", *ADDRESS)["id"]
    draft = ready.json("invoice", "new", customer)["id"]
    ready("invoice", "add-line", draft, "--description", "Tea", "--unit-price", "10")
    number = ready.json("invoice", "issue", draft)["number"]
    ready("payment", "add", number, "2.00")
    downgrade(ready, "0009")
    connection = sqlite3.connect(ready.db)
    assert not connection.execute(
        "SELECT name FROM sqlite_master WHERE name = 'audit_head'"
    ).fetchall()
    connection.close()

    ready("invoice", "list")  # upgrades

    (seq, digest) = (
        sqlite3.connect(ready.db)
        .execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetchone()
    )
    assert ready.json("audit", "head")["hash"] == digest
    assert ready("audit", "verify")[0] == 0
    ready("payment", "add", number, "3.00")  # the triggers keep paid_minor from here on
    assert ready.json("invoice", "show", number)["paid"] == "5.00"
    connection = sqlite3.connect(ready.db)
    assert connection.execute("SELECT seq FROM audit_head").fetchone()[0] > seq
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE invoices SET paid_minor = 0")
    connection.close()
