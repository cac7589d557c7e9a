"""E-mailing an invoice from the GUI's invoice window (Send by e-mail) to a loopback SMTP
server: the send, a retry that sends nothing, a refused connection shown as an error, and
the e-mails listed in the window."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from invoicer.services.app import Services
from invoicer.services.commands import CustomerChanges
from invoicer.services.settings import Settings
from tests.mail.smtp_server import free_port, smtp_server
from tests.payments.shop import issued
from tests.qt.test_payments import click, message_box, open_editor, shop, window  # noqa: F401


def _mail_to(svc: Services, port: int) -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                        mail_from="Jansen <facturen@jansen.example>")  # fmt: skip
    svc.use_context(dataclasses.replace(svc.ctx, settings=settings))


def test_send_by_e_mail_once(qtbot: Any, window: Any, shop: Services, tmp_path: Path) -> None:  # noqa: F811
    invoice_id = issued(shop)
    address = "jan@example.nl"
    customer_id = shop.invoices.get(invoice_id).customer_id
    shop.customers.update(customer_id, CustomerChanges(email=address))
    with smtp_server(tmp_path) as server:
        _mail_to(shop, server.port)
        editor = open_editor(qtbot, window, invoice_id)
        assert not editor.mail.isVisible()
        click(qtbot, editor.action_buttons["send"])
        box = message_box(qtbot, editor)
        assert box.text() == f"E-mail sent to {address}."
        assert f"Invoice e-mail to {address}: sent" in editor.mail.text()
        box.close()
        click(qtbot, editor.action_buttons["send"])
        qtbot.waitUntil(lambda: editor.child_dialog is not box)
        again = message_box(qtbot, editor)
        assert "already sent" in again.text()
    assert len(server.inbox.received) == 1
    assert server.inbox.received[0].message().get_content_type() == "multipart/mixed"


def test_a_refused_connection_is_an_error_box(qtbot: Any, window: Any, shop: Services) -> None:  # noqa: F811
    invoice_id = issued(shop)
    customer_id = shop.invoices.get(invoice_id).customer_id
    shop.customers.update(customer_id, CustomerChanges(email="jan@example.nl"))
    port = free_port()
    _mail_to(shop, port)
    editor = open_editor(qtbot, window, invoice_id)
    click(qtbot, editor.action_buttons["send"])
    box = message_box(qtbot, editor)
    assert f"127.0.0.1:{port} refused the connection" in box.text()
    assert "Traceback" not in box.text()
    assert "failed (the mail server" in editor.mail.text()
    assert editor.action_buttons["send"].isEnabled()
