"""Copies of a demo shop damaged the ways a disk or a bad copy damages files: cut to half its
size, or 4 KiB of flipped bytes. Every command says plainly that the file is damaged (exit 5),
names the newest good backup and how to put it back; nothing is "upgraded", no damaged copy
is made as a backup, and `backup restore` brings the shop back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import Cli, query

DAMAGED = 5


def cut_to_half(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def flip_page(path: Path, page: int) -> None:
    """Flip every bit of one 4 KiB page (page 1 is the first)."""
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    assert size == 4096
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        data = handle.read(size)
        handle.seek((page - 1) * size)
        handle.write(bytes(b ^ 0xFF for b in data))


def root_page(path: Path, name: str) -> int:
    return int(query(path, "SELECT rootpage FROM sqlite_master WHERE name = ?", name)[0][0])


def run(cli: Cli, *args: str) -> tuple[int, str]:
    code, out, err = cli(*args, ok=False)
    assert "Traceback" not in out + err
    return code, out + err


def others(folder: Path, db: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(db.name)} - {db.name}


COMMANDS = [
    ["invoice", "list"],
    ["audit", "verify"],
    ["report", "vat", "--from", "2020-01-01", "--to", "2030-12-31"],
    ["customer", "list"],
    ["export"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_file_cut_to_half_is_reported_as_damaged_by_every_command(
    demo: Cli, args: list[str]
) -> None:
    cut_to_half(demo.db)
    before = demo.db.read_bytes()

    code, text = run(demo, *args)

    assert code == DAMAGED
    assert f"{demo.db} is damaged" in text
    assert "malformed" in text
    assert "knows no good backup" in text  # none was made
    assert demo.db.read_bytes() == before
    assert not [n for n in others(demo.db.parent, demo.db) if n.endswith(".bak")]


def test_the_message_names_the_newest_good_backup_and_how_to_restore_it(demo: Cli) -> None:
    older = demo.db.parent / "older.sqlite"
    newer = demo.db.parent / "newer.sqlite"
    demo("backup", str(older))
    demo("backup", str(newer))
    cut_to_half(demo.db)

    code, text = run(demo, "invoice", "list")

    assert code == DAMAGED
    assert f"The newest good backup is {newer}" in text
    assert f"backup restore {newer}" in text
    as_json = json.loads(demo("invoice", "list", "--json", ok=False)[2])
    assert (as_json["error"]["type"], as_json["error"]["code"]) == ("damaged", "file_damaged")
    assert f"The newest good backup is {newer}" in as_json["error"]["message"]


def test_a_damaged_backup_is_not_offered(demo: Cli) -> None:
    good = demo.db.parent / "good.sqlite"
    bad = demo.db.parent / "bad.sqlite"
    demo("backup", str(good))
    demo("backup", str(bad))
    cut_to_half(bad)  # the newest backup went bad on its disk
    cut_to_half(demo.db)

    text = run(demo, "invoice", "list")[1]

    assert f"The newest good backup is {good}" in text


def test_flipped_bytes_in_the_audit_log_end_verify_with_the_damage_not_a_traceback(
    demo: Cli,
) -> None:
    flip_page(demo.db, root_page(demo.db, "audit_events"))

    code, text = run(demo, "audit", "verify")

    assert code == DAMAGED
    assert "is damaged" in text


def test_verify_runs_the_integrity_check(demo: Cli) -> None:
    # An index no check reads: only SQLite's integrity check sees the damage.
    flip_page(demo.db, root_page(demo.db, "ix_products_name"))
    assert run(demo, "invoice", "list")[0] == 0  # the commands that do not touch it work

    code, text = run(demo, "audit", "verify")

    assert code == DAMAGED
    assert "is damaged" in text
    assert "SQLite reports" in text


def test_a_damaged_file_is_not_backed_up(demo: Cli) -> None:
    good = demo.db.parent / "good.sqlite"
    demo("backup", str(good))
    kept = good.read_bytes()
    flip_page(demo.db, root_page(demo.db, "ix_products_name"))

    code, text = run(demo, "backup", str(good))  # over the good backup
    assert code == DAMAGED
    assert "is damaged" in text
    code, text = run(demo, "backup", str(demo.db.parent / "new.sqlite"))
    assert code == DAMAGED
    assert f"The newest good backup is {good}" in text

    assert good.read_bytes() == kept
    assert not (demo.db.parent / "new.sqlite").exists()


def test_backup_restore_brings_the_shop_back(demo: Cli) -> None:
    good = demo.db.parent / "good.sqlite"
    demo("backup", str(good))
    invoices = demo("invoice", "list")[1]
    cut_to_half(demo.db)
    damaged = demo.db.read_bytes()

    _, out, _ = demo("backup", "restore", str(good))

    kept = [
        demo.db.parent / n
        for n in others(demo.db.parent, demo.db)
        if ".damaged-" in n and not n.endswith(("-wal", "-shm"))  # its -wal goes with it
    ]
    assert len(kept) == 1
    assert kept[0].read_bytes() == damaged
    assert f"kept as {kept[0]}" in out
    assert demo("invoice", "list")[1] == invoices
    assert demo("audit", "verify")[0] == 0


def test_restore_refuses_a_damaged_backup_and_a_sound_database(demo: Cli) -> None:
    good = demo.db.parent / "good.sqlite"
    demo("backup", str(good))
    bad = demo.db.parent / "bad.sqlite"
    bad.write_bytes(good.read_bytes())
    cut_to_half(bad)
    before = demo.db.read_bytes()

    code, text = run(demo, "backup", "restore", str(good))
    assert code == 1
    assert "is not damaged" in text
    assert "--force" in text
    code, text = run(demo, "backup", "restore", str(bad))
    assert code == 1
    assert "damaged too" in text
    code, text = run(demo, "backup", "restore", str(demo.db.parent / "missing.sqlite"))
    assert code == 1
    assert "There is no file" in text
    assert demo.db.read_bytes() == before

    demo("backup", "restore", str(good), "--force")
    assert [n for n in others(demo.db.parent, demo.db) if ".replaced-" in n]


def test_backup_create_is_the_same_as_backup_file(demo: Cli) -> None:
    target = demo.db.parent / "copy.sqlite"
    assert demo.json("backup", "create", str(target)) == {"backup": str(target)}
    assert query(target, "SELECT COUNT(*) FROM invoices") == query(
        demo.db, "SELECT COUNT(*) FROM invoices"
    )


def test_the_terminal_and_desktop_apps_say_so_at_start(demo: Cli) -> None:
    # Both open the services before drawing anything once the first look fails.
    cut_to_half(demo.db)
    for command in (["tui"], ["gui"]):
        code, text = run(demo, *command)
        assert code == DAMAGED, text
        assert "is damaged" in text
