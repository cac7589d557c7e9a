"""`invoicer invoice send`, `invoicer remind`, `invoicer mail-template` and the e-mail part
of `invoicer invoice show`, run in process against a loopback SMTP server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import ADDRESS, INIT, Cli
from tests.keyrings import MemoryKeyring

from .smtp_server import free_port, smtp_server


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring) -> Cli:
    run = Cli(tmp_path / "cli.sqlite", capsys)
    run(*INIT, "--email", "factuur@voorbeeld.example")
    return run


def _issued(cli: Cli, *draft: str) -> str:
    customer = cli("customer", "add", "--name", "Łukasz Żółć", "--country", "NL", *ADDRESS,
                   "--email", "lukasz@example.pl", "--id-only")[1].strip()  # fmt: skip
    invoice = cli("invoice", "new", customer, *draft, "--id-only")[1].strip()
    cli("invoice", "add-line", invoice, "--description", "Tea", "--unit-price", "10")
    return str(cli.json("invoice", "issue", invoice)["number"])


def _smtp(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("INVOICER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("INVOICER_SMTP_PORT", str(port))
    monkeypatch.setenv("INVOICER_SMTP_SECURITY", "none")


def test_send_once_then_show_it_in_the_history(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _issued(cli)
    with smtp_server(tmp_path) as server:
        _smtp(monkeypatch, server.port)
        out = cli("invoice", "send", number, "--attach", "ubl")[1]
        assert out == (f"Sent to lukasz@example.pl: Invoice {number} from Voorbeeld BV "
                       f"({number}.pdf, {number}-ubl-en16931.xml).\n")  # fmt: skip
        again = cli("invoice", "send", number)[1]
        assert again.startswith("Already sent to lukasz@example.pl on ")
        assert "nothing was sent now" in again
        cli("invoice", "send", number, "--again", "--to", "boss@example.com")
    assert len(server.inbox.received) == 2
    shown = cli("invoice", "show", number)[1]
    assert "E-mail:" in shown
    assert "Invoice e-mail to lukasz@example.pl: sent" in shown
    mail = cli.json("invoice", "show", number)["mail"]
    assert [(m["recipients"], m["status"]) for m in mail] == [
        (["lukasz@example.pl"], "sent"), (["boss@example.com"], "sent")]  # fmt: skip


def test_a_refused_connection_is_a_clear_error(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    number = _issued(cli)
    port = free_port()
    _smtp(monkeypatch, port)
    code, _, err = cli("invoice", "send", number, ok=False)
    assert code != 0
    assert "Traceback" not in err
    assert f"The e-mail was not sent: the mail server 127.0.0.1:{port} refused" in err
    assert "failed (the mail server" in cli("invoice", "show", number)[1]


def test_no_mail_server_set_up(cli: Cli) -> None:
    number = _issued(cli)
    before = cli.dump()
    code, _, err = cli("invoice", "send", number, ok=False)
    assert code != 0
    assert "No mail server is set up" in err
    assert cli.dump() == before


def test_remind_dry_run_then_for_real(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = _issued(cli, "--issue-date", "2026-01-05", "--due-days", "14")
    with smtp_server(tmp_path) as server:
        _smtp(monkeypatch, server.port)
        dry = cli("remind", "--dry-run")[1]
        assert number in dry
        assert "due" in dry
        assert server.inbox.received == []
        assert number in cli("remind")[1]
        assert cli("remind")[1] == "No reminders are due.\n"
    [received] = server.inbox.received
    assert received.message()["Subject"] == f"Reminder: invoice {number} is overdue"


def test_edit_a_template(cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Geachte {customer},\n\nFactuur {number}: {amount}.\n", encoding="utf-8")
    cli("mail-template", "set", "invoice", "nl", "--subject", "Factuur {number}",
        "--body-file", str(body))  # fmt: skip
    shown = cli("mail-template", "show", "invoice", "nl")[1]
    assert (
        shown == "Subject: Factuur {number}\n\nGeachte {customer},\n\nFactuur {number}: {amount}.\n"
    )
    listed = cli("mail-template", "list")[1]
    assert "own" in listed
    code, _, err = cli("mail-template", "set", "invoice", "nl", "--subject", "{bedrag}", ok=False)
    assert code != 0
    assert "the placeholders are {number}" in err


def test_quote_send_emails_it_and_shows_it_under_the_quote(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = cli("customer", "add", "--name", "Łukasz Żółć", "--country", "NL", *ADDRESS,
                   "--email", "lukasz@example.pl", "--id-only")[1].strip()  # fmt: skip
    quote = cli("quote", "new", customer, "--id-only")[1].strip()
    cli("quote", "add-line", quote, "--description", "Design", "--unit-price", "100")
    code, _, err = cli("quote", "send", quote, ok=False)
    assert code != 0
    assert "issue it first" in err
    assert "Traceback" not in err
    number = cli.json("quote", "issue", quote)["number"]
    with smtp_server(tmp_path) as server:
        _smtp(monkeypatch, server.port)
        out = cli("quote", "send", number)[1]
        assert (
            out == f"Sent to lukasz@example.pl: Quote {number} from Voorbeeld BV ({number}.pdf).\n"
        )
        assert cli("quote", "send", number)[1].startswith("Already sent to lukasz@example.pl on ")
    assert len(server.inbox.received) == 1
    shown = cli.json("quote", "show", number)
    assert shown["status"] == "sent"
    assert [(m["kind"], m["status"]) for m in shown["mail"]] == [("quote", "sent")]
    assert "Quote e-mail to lukasz@example.pl: sent" in cli("quote", "show", number)[1]
