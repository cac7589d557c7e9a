"""E-mailing an invoice from its screen (key e) to a loopback SMTP server: the send, a
retry that sends nothing, a refused connection said as every error is, and the history on
the screen."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from textual.widgets import Static

from invoicer.services.settings import Settings
from tests.mail.smtp_server import free_port, smtp_server
from tests.tui.conftest import fill_fixed_data, make_app, settle
from tests.tui.test_payments import messages, open_invoice


def _mail_to(svc: Any, port: int) -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
    svc.use_context(dataclasses.replace(svc.ctx, settings=settings))


async def test_e_mails_the_invoice_once_and_shows_it(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    invoice = data["open"]
    address = svc.customers.get(invoice.customer_id).email
    app = make_app(svc, tmp_path)
    with smtp_server(tmp_path) as server:
        _mail_to(svc, server.port)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_invoice(pilot, invoice.id)
            await pilot.press("e")
            await settle(pilot)
            assert f"E-mail sent to {address}." in messages(app)
            parties = str(app.screen.query_one("#parties", Static).content)
            assert f"Invoice e-mail to {address}: sent" in parties
            await pilot.press("e")
            await settle(pilot)
            assert any("Already sent" in m for m in messages(app))
    [received] = server.inbox.received
    assert received.rcpt_tos == [address]
    assert received.message()["Subject"] == f"Invoice {invoice.number} from Beispiel"


async def test_a_refused_connection_is_said_and_logged(svc: Any, tmp_path: Path) -> None:
    data = fill_fixed_data(svc)
    invoice = data["open"]
    port = free_port()
    _mail_to(svc, port)
    app = make_app(svc, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoice(pilot, invoice.id)
        await pilot.press("e")
        await settle(pilot)
        assert any(f"127.0.0.1:{port} refused the connection" in m for m in messages(app))
        parties = str(app.screen.query_one("#parties", Static).content)
        assert "failed (the mail server" in parties
    assert [e.status for e in svc.mail.history(invoice.id)] == ["failed"]
