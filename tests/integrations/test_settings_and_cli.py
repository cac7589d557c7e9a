"""Settings in the config dir with environment overrides; the secrets and settings commands;
and the leak scan: a planted secret appears nowhere but in the keyring."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.domain.errors import ValidationError
from invoicer.services.commands import SettingsChanges
from invoicer.services.local import default_db_path
from invoicer.services.paths import config_dir, data_dir
from invoicer.services.settings import SettingsService
from tests.keyrings import MemoryKeyring


def test_defaults_file_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    service = SettingsService()
    assert service.get().vies_policy == "block"
    service.set(SettingsChanges(vies_policy="warn", vies_timeout_seconds="20"))
    assert (service.get().vies_policy, service.get().vies_timeout_seconds) == ("warn", 20)
    assert service.path.parent == config_dir()
    monkeypatch.setenv("INVOICER_VIES_POLICY", "block")
    assert service.get().vies_policy == "block"
    sources = {name: source for name, _, source, _ in service.describe()}
    assert (sources["vies_policy"], sources["vies_timeout_seconds"]) == ("environment", "file")


@pytest.mark.parametrize(
    "values",
    [{"vies_policy": "maybe"}, {"vies_timeout_seconds": "-1"}, {"no_such": "1"},
     {"vies_url": "ftp://x"}, {"confirmations": "many"}, {"db_path": "relative/x.sqlite"}],
)  # fmt: skip
def test_bad_values_change_nothing(values: dict[str, str]) -> None:
    service = SettingsService()
    service.set(SettingsChanges(vies_retries="3"))
    before = service.path.read_bytes()
    with pytest.raises(ValidationError):
        service.set(SettingsChanges(**values))
    assert service.path.read_bytes() == before


def test_check_reports_every_problem_and_writes_nothing() -> None:
    service = SettingsService()
    assert service.check(SettingsChanges(vies_policy="warn", vies_retries="4")) == {
        "vies_policy": "warn",
        "vies_retries": 4,
    }
    assert not service.path.exists()
    with pytest.raises(ValidationError) as error:
        service.check(SettingsChanges(vies_policy="maybe", confirmations="many", vies_retries="1"))
    assert sorted(p.field for p in error.value.problems) == ["confirmations", "vies_policy"]
    assert not service.path.exists()


def test_open_services_follow_changed_settings_after_reload(tmp_path: Path) -> None:
    from invoicer.services.app import open_services

    with open_services(tmp_path / "s.sqlite") as svc:
        assert (svc.invoices.vies_policy, svc.invoices.vies_max_age_days) == ("block", 30)
        SettingsService().set(SettingsChanges(vies_policy="warn", vies_max_age_days="7"))
        assert svc.invoices.vies_policy == "block"  # read once when opened
        svc.reload_settings()
        assert (svc.invoices.vies_policy, svc.invoices.vies_max_age_days) == ("warn", 7)


def test_db_path_setting_is_the_default_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_db_path() == data_dir() / "invoicer.sqlite"
    chosen = tmp_path / "books" / "shop.sqlite"
    assert run(cli, ["settings", "set", f"db_path={chosen}"]) == 0
    assert default_db_path() == chosen
    assert run(cli, ["customer", "list"]) == 3  # without --db: the configured file, not made
    assert not chosen.exists()
    assert run(cli, ["demo", "--invoices", "0"]) == 0  # demo (or init) makes it there
    assert chosen.is_file()
    assert run(cli, ["customer", "list"]) == 0
    monkeypatch.setenv("INVOICER_DB", str(tmp_path / "env.sqlite"))
    assert default_db_path() == tmp_path / "env.sqlite"  # the variable still wins


def test_settings_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cli, ["settings", "set", "vies_policy=warn", "chain_id=11155111"]) == 0
    assert run(cli, ["settings", "show", "--json"]) == 0
    assert '"value": 11155111' in capsys.readouterr().out
    assert run(cli, ["settings", "set", "vies_policy=sometimes"]) == 1
    assert "vies_policy must be one of block, warn" in capsys.readouterr().err


def test_secret_leak_scan(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    planted = "sk_live_PLANTED_51Hxyz0123456789"
    db = tmp_path / "leak.sqlite"
    outputs: list[str] = []

    def invoke(*args: str, stdin: str | None = None) -> int:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = run(cli, ["--db", str(db), *args])
        out, err = capsys.readouterr()
        outputs.extend([out, err])
        return code

    assert invoke("secrets", "set", "stripe_secret_key", stdin=planted + "\n") == 0
    assert memory_keyring.entries[("invoicer", "stripe_secret_key")] == planted
    for name in ("remote_api_key", "rpc_key"):
        invoke("secrets", "set", name, stdin=planted + "\n")
    invoke("secrets", "status")
    invoke("secrets", "status", "--json")
    invoke("secrets", "set", "nope", stdin=planted + "\n")  # an error path
    invoke("settings", "show", "--json")
    invoke("settings", "set", "rpc_url=https://rpc.example")
    invoke("demo", "--invoices", "3")
    invoke("export")
    invoke("secrets", "delete", "rpc_key")
    outputs.append(caplog.text)
    assert all(planted not in text for text in outputs)
    for folder in (data_dir(), config_dir(), tmp_path):
        for path in Path(folder).rglob("*"):
            if path.is_file():
                assert planted.encode() not in path.read_bytes(), path
    assert os.environ.get("INVOICER_STRIPE_SECRET_KEY") is None


def test_secrets_commands_without_a_keyring(no_keyring: Any, capsys: Any) -> None:
    assert run(cli, ["secrets", "status"]) == 0
    assert "not usable" in capsys.readouterr().out
    monkey_stdin = io.StringIO("x\n")
    import sys

    sys_stdin, sys.stdin = sys.stdin, monkey_stdin
    try:
        assert run(cli, ["secrets", "set", "rpc_key"]) == 1
    finally:
        sys.stdin = sys_stdin
    assert "gnome-keyring" in capsys.readouterr().err


def test_one_setting_may_be_given_as_two_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cli, ["settings", "set", "vies_policy", "warn"]) == 0
    assert SettingsService().get().vies_policy == "warn"
    assert run(cli, ["settings", "set", "vies_policy", "warn", "chain_id"]) == 2
    assert "use NAME=VALUE, e.g. vies_policy=warn" in capsys.readouterr().err
