"""The leak scan over the commands that *use* secrets: Stripe links and refreshes (with the
right key and with a wrong one) and the crypto check (whose RPC key travels in the URL, so an
unreachable node must not print that URL). The planted keys appear in no output, log, data,
config or database file."""

from __future__ import annotations

import datetime as dt
import io
import socket
from pathlib import Path
from typing import Any

import pytest

from invoicer.cli import cli
from invoicer.cli.errors import run
from invoicer.integrations import secrets
from invoicer.services.app import open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from tests.keyrings import MemoryKeyring
from tests.payments import stripe_server
from tests.payments.shop import SHOP

PLANTED_RPC_KEY = "rpcKEY_PLANTED_7f3a9c0e5511"
PLANTED_WRONG_STRIPE = "sk_live_PLANTED_wrong_9a8b7c6d5e"
RECEIVER = "0x" + "11" * 20


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once closed


def _issued_invoice(db: Path) -> str:
    with open_services(db, today=lambda: dt.date(2026, 3, 16)) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
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
        svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price="100.00"))
        return svc.invoices.issue(draft.id).id


def test_commands_that_use_secrets_never_show_them(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    db = tmp_path / "pay.sqlite"
    invoice_id = _issued_invoice(db)
    outputs: list[str] = []

    def invoke(*args: str, stdin: str | None = None) -> int:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = run(cli, ["--db", str(db), *args])
        out, err = capsys.readouterr()
        outputs.extend([out, err])
        return code

    with stripe_server.running() as (url, stand_in):
        monkeypatch.setenv("INVOICER_STRIPE_API_BASE", url)
        # A wrong key: Stripe refuses it; the message must not repeat it.
        assert invoke("secrets", "set", "stripe_secret_key", stdin=PLANTED_WRONG_STRIPE) == 0
        assert invoke("pay", "stripe-link", invoice_id) == 1
        assert invoke("pay", "stripe-link", invoice_id, "--json") == 1
        # The right key: a link, then a refresh that books the payment.
        secrets.set_secret("stripe_secret_key", stripe_server.VALID_KEY)
        assert invoke("pay", "stripe-link", invoice_id, "--json") == 0
        stand_in.pay(next(iter(stand_in.sessions)))
        assert invoke("pay", "refresh", "--json") == 0
        assert invoke("pay", "refresh") == 0
    assert any("checkout.stripe.test" in text for text in outputs)  # the commands did run

    second = _issued_invoice(db)
    assert invoke("secrets", "set", "rpc_key", stdin=PLANTED_RPC_KEY + "\n") == 0
    rpc = f"http://127.0.0.1:{_closed_port()}"
    assert invoke("settings", "set", f"rpc_url={rpc}", f"receiving_address={RECEIVER}") == 0
    assert invoke("pay", "crypto-request", second, "--rate", "3000") == 0
    tx = "0x" + "ab" * 32
    assert invoke("pay", "check-tx", second, tx) == 1
    assert invoke("pay", "check-tx", second, tx, "--json") == 1
    assert any("node" in text.lower() or "rpc" in text.lower() for text in outputs)

    invoke("secrets", "status", "--json")
    outputs.append(caplog.text)
    planted: list[str] = [PLANTED_RPC_KEY, PLANTED_WRONG_STRIPE, stripe_server.VALID_KEY]
    for value in planted:
        assert all(value not in text for text in outputs), value
    scanned: list[Any] = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert db in scanned  # the database itself is part of the scan
    for path in scanned:
        data = path.read_bytes()
        for value in planted:
            assert value.encode() not in data, (path, value)
