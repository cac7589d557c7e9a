from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run


class Cli:
    """Runs `invoicer --db DB ...` in process, the way the console script does."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str, ok: bool = True) -> tuple[int, str, str]:
        code = run(cli, ["--db", str(self.db), *args])
        out, err = self.capsys.readouterr()
        if ok:
            assert code == 0, err
        return code, out, err

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json")[1])

    def snapshot(self) -> tuple[str, list[str]]:
        """The file's bytes (hashed, read before any connection opens it) and its SQL dump.

        A refused command must leave both exactly as they were.
        """
        digest = hashlib.sha256()
        for suffix in ("", "-wal", "-journal"):
            part = self.db.with_name(self.db.name + suffix)
            # An empty -wal (a connection of this test process not yet collected) holds nothing.
            data = part.read_bytes() if part.exists() else b""
            digest.update(data or b"<absent or empty>")
        return digest.hexdigest(), self.dump()

    def dump(self) -> list[str]:
        connection = sqlite3.connect(self.db)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()


@pytest.fixture
def invoicer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "cli.sqlite", capsys)


INIT = ["init", "--legal-name", "Voorbeeld BV", "--street", "Damrak 1", "--postcode", "1012 LG",
        "--city", "Amsterdam", "--country", "NL", "--vat-number", "NL004495445B01",
        "--iban", "NL91ABNA0417164300"]  # fmt: skip

# A customer's full address, which issuing needs (Art. 226(5)).
ADDRESS = ["--street", "Kerkstraat 1", "--postcode", "1017 GA", "--city", "Amsterdam"]


@pytest.fixture
def ready(invoicer: Cli) -> Cli:
    invoicer(*INIT)
    return invoicer


Step = Callable[[Cli], Any]


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo shop (invoices, payments, credit notes) built once; tests use copies."""
    from invoicer.services.app import open_services
    from invoicer.services.demo import fill_demo

    folder = tmp_path_factory.mktemp("demo-template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(folder))  # the developer's settings stay out of it
        patch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
        patch.setenv("XDG_DATA_HOME", str(folder / ".local/share"))
        with open_services(folder / "demo.sqlite") as svc:
            fill_demo(svc, invoices=30, seed=1)
    return folder / "demo.sqlite"


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """A fresh copy of the demo shop (a single file: the template was closed cleanly)."""
    target = tmp_path / "shop.sqlite"
    target.write_bytes(demo_template.read_bytes())
    return Cli(target, capsys)


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()
