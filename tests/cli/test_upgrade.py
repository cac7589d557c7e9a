"""Opening a file made by an older version says that it is being upgraded, and where the copy
of the old file is; an up-to-date file opens silently."""

from __future__ import annotations

from alembic import command

from invoicer.store.database import Database, _alembic_config
from tests.cli.conftest import Cli


def downgrade(cli: Cli, revision: str) -> None:
    database = Database(cli.db)
    with database.engine.connect() as connection:
        command.downgrade(_alembic_config(connection), revision)
        connection.commit()
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
