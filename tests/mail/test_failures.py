"""Network failures leave the invoice unsent, log the failure in the user's words and raise
a clear MailNotSent; the retry then sends. Two sends of the same message at once send it
once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest

from invoicer.domain.errors import Conflict
from invoicer.services.app import Services, open_services
from invoicer.services.context import FixedClock
from invoicer.services.errors import error_payload, http_status
from invoicer.services.mail import sent_log
from invoicer.services.mail.transport import MailNotSent

from .conftest import LUKASZ, configure, issue
from .smtp_server import free_port, silent_server, smtp_server


def _failed_once(shop: Services, invoice_id: str) -> str:
    with pytest.raises(MailNotSent) as error:
        shop.mail.send_invoice(invoice_id)
    [entry] = shop.mail.history(invoice_id)
    assert entry.status == "failed"
    assert entry.reason == error.value.reason
    assert str(error.value).startswith("The e-mail was not sent: ")
    return error.value.reason


def test_a_refused_connection(shop: Services) -> None:
    invoice_id = issue(shop, LUKASZ)
    port = free_port()  # nothing listens there
    configure(shop, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
    reason = _failed_once(shop, invoice_id)
    assert reason == (
        f"the mail server 127.0.0.1:{port} refused the connection; check smtp_host and "
        "smtp_port, and that the server runs."
    )


def test_a_dropped_connection_then_the_retry_sends(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    with smtp_server(tmp_path, drop=True) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        reason = _failed_once(shop, invoice_id)
        assert "closed the connection before the message was accepted" in reason
        assert server.inbox.received == []
        server.inbox.drop = False
        retry = shop.mail.send_invoice(invoice_id)
    assert not retry.already
    assert len(server.inbox.received) == 1
    assert [e.status for e in shop.mail.history(invoice_id)] == ["failed", "sent"]


def test_a_server_that_never_answers(shop: Services) -> None:
    invoice_id = issue(shop, LUKASZ)
    with silent_server() as port:
        configure(shop, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                  smtp_timeout_seconds=1)  # fmt: skip
        reason = _failed_once(shop, invoice_id)
    assert "did not answer within 1 seconds" in reason


def test_starttls_on_a_server_without_it(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="starttls")
        assert "does not offer STARTTLS" in _failed_once(shop, invoice_id)


def test_the_error_reaches_every_caller_as_unavailable(shop: Services) -> None:
    invoice_id = issue(shop, LUKASZ)
    configure(shop, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(MailNotSent) as error:
        shop.mail.send_invoice(invoice_id)
    assert http_status(error.value) == 503
    assert error_payload(error.value)["error"]["code"] == "mail_not_sent"


def test_two_sends_at_once_send_once(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    outcomes: list[str] = []
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        start = threading.Barrier(2)

        def send() -> None:
            with open_services(shop.path, ctx=shop.ctx) as own:
                start.wait()
                try:
                    sent = own.mail.send_invoice(invoice_id)
                    outcomes.append("already" if sent.already else "sent")
                except Conflict:
                    outcomes.append("busy")

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.inbox.received) == 1
    assert sorted(outcomes) in (["already", "sent"], ["busy", "sent"])


def test_a_send_cut_off_midway_may_be_retried_once_stale(shop: Services, tmp_path: Path) -> None:
    invoice_id = issue(shop, LUKASZ)
    key = sent_log.send_key(invoice_id, "invoice", 0, ["lukasz@example.pl"], "")
    sent_log.claim(shop, invoice_id=invoice_id, kind="invoice", step=0,
                   recipients=["lukasz@example.pl"], subject="s", attachments=[],
                   message_id="<x@voorbeeld.example>", key=key)  # fmt: skip
    with smtp_server(tmp_path) as server:
        configure(shop, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none")
        with pytest.raises(Conflict, match="being sent right now"):
            shop.mail.send_invoice(invoice_id)
        later = shop.ctx.clock.now() + dt.timedelta(minutes=sent_log.STALE_MINUTES + 1)
        shop.use_context(dataclasses.replace(shop.ctx, clock=FixedClock(later)))
        shop.mail.send_invoice(invoice_id)
    assert len(server.inbox.received) == 1
    history = shop.mail.history(invoice_id)
    assert [e.status for e in history] == ["failed", "sent"]
    assert history[0].reason == sent_log.CUT_OFF


def test_the_unique_send_key_lets_one_claim_in(shop: Services) -> None:
    invoice_id = issue(shop, LUKASZ)
    claim: dict[str, Any] = {
        "invoice_id": invoice_id, "kind": "invoice", "step": 0, "recipients": ["a@example.com"],
        "subject": "s", "attachments": [], "message_id": "<m@example.com>", "key": "k",
    }  # fmt: skip
    first = sent_log.claim(shop, **claim)
    with pytest.raises(sent_log.BeingSent):
        sent_log.claim(shop, **claim)
    sent_log.finish(shop, first.id, "failed", "refused")
    # A failed attempt gives its key up: the next claim gets in.
    assert sent_log.claim(shop, **claim).status == "sending"
    assert [e.status for e in shop.mail.history(invoice_id)] == ["failed", "sending"]
