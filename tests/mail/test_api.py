"""POST /v1/invoices/{id}/send and GET /v1/invoices/{id}/mail on a real app and database
(SQLite and PostgreSQL), against a loopback SMTP server with a login: the shop's own
account and password (its secrets), another shop's invoice out of reach."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.services.settings import Settings
from invoicer.store.database import open_database
from tests.keyrings import MemoryKeyring
from tests.server.conftest import MovableClock, Shop, make_config, sign_up

from .smtp_server import PASSWORD, USER, Server, smtp_server


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Server]:
    with smtp_server(tmp_path, security="starttls", auth=True) as server:
        yield server


@pytest.fixture
def client(
    db_target: Path | str, smtp: Server, memory_keyring: MemoryKeyring
) -> Iterator[TestClient]:
    config = make_config(str(db_target))
    db = open_database(config.database)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_ca_file=str(smtp.ca_file))
    app = create_app(config, db=db, clock=MovableClock(), settings=settings)
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
    db.close()


def _issued(client: TestClient, shop: Shop, **draft: Any) -> dict[str, Any]:
    customer = client.post("/v1/customers", headers=shop.headers, json={
        "name": "Łukasz Żółć", "country": "NL", "street": "Kerkstraat 1",
        "postcode": "1017 GA", "city": "Amsterdam", "email": "lukasz@example.pl"})  # fmt: skip
    assert customer.status_code == 201, customer.text
    draft = client.post("/v1/invoices", headers=shop.headers,
                        json={"customer_id": customer.json()["id"], **draft})  # fmt: skip
    invoice_id = draft.json()["id"]
    line = client.post(f"/v1/invoices/{invoice_id}/lines", headers=shop.headers,
                       json={"description": "Brood", "unit_price": "3.50"})  # fmt: skip
    assert line.status_code == 201, line.text
    issued = client.post(f"/v1/invoices/{invoice_id}/issue", headers=shop.headers)
    assert issued.status_code == 200, issued.text
    body: dict[str, Any] = issued.json()
    return body


def _set_up_mail(client: TestClient, shop: Shop) -> None:
    own = {"smtp_user": USER, "mail_from": "bakkerij@voorbeeld.example"}
    settings = client.patch("/v1/settings", headers=shop.headers, json=own)
    assert settings.status_code == 200, settings.text
    stored = client.put("/v1/shop/secrets/smtp_password", headers=shop.headers,
                        json={"value": PASSWORD})  # fmt: skip
    assert stored.status_code == 204, stored.text


def test_send_once_with_the_shops_own_account(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    invoice = _issued(client, shop)
    # No password in the shop's secrets yet: refused before anything is logged.
    own = client.patch("/v1/settings", headers=shop.headers, json={"smtp_user": USER})
    assert own.status_code == 200, own.text
    assert own.json()["smtp_user"] == USER
    refused = client.post(f"/v1/invoices/{invoice['id']}/send", headers=shop.headers, json={})
    assert refused.status_code == 409
    assert "smtp_password" in refused.json()["error"]["message"]
    _set_up_mail(client, shop)
    url = f"/v1/invoices/{invoice['id']}/send"
    first = client.post(url, headers=shop.headers, json={"attach": "none"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["object"] == "mail_message"
    assert body["status"] == "sent"
    assert body["already_sent"] is False
    assert body["recipients"] == ["lukasz@example.pl"]
    retry = client.post(url, headers=shop.headers, json={"attach": "none"})
    assert retry.json()["already_sent"] is True
    assert retry.json()["id"] == body["id"]
    assert len(smtp.inbox.received) == 1
    assert smtp.inbox.logins == [USER]
    message = smtp.inbox.received[0].message()
    assert message["From"].addresses[0].addr_spec == "bakkerij@voorbeeld.example"
    assert message["Message-ID"] == body["message_id"]
    history = client.get(f"/v1/invoices/{invoice['id']}/mail", headers=shop.headers).json()
    assert [m["status"] for m in history["data"]] == ["sent"]


def test_another_shops_invoice_and_bad_bodies(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    rival = sign_up(client, "rival@example.org")
    invoice = _issued(client, shop)
    url = f"/v1/invoices/{invoice['id']}/send"
    assert client.post(url, headers=rival.headers, json={}).status_code == 404
    assert (
        client.get(f"/v1/invoices/{invoice['id']}/mail", headers=rival.headers).status_code == 404
    )
    _set_up_mail(client, shop)
    for body, field in (({"to": "a@example.com"}, "to"), ({"to": [1]}, "to"),
                        ({"to": ["nope"]}, "to"), ({"attach": "zip"}, "attach"),
                        ({"bcc": ["x@example.com"]}, "bcc")):  # fmt: skip
        answer = client.post(url, headers=shop.headers, json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert answer.json()["error"]["param"] == field, body
    assert smtp.inbox.received == []
    assert (
        client.get(f"/v1/invoices/{invoice['id']}/mail", headers=shop.headers).json()["data"] == []
    )


def test_a_refused_login_is_503_and_logged(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    invoice = _issued(client, shop)
    _set_up_mail(client, shop)
    client.put("/v1/shop/secrets/smtp_password", headers=shop.headers, json={"value": "wrong"})
    answer = client.post(f"/v1/invoices/{invoice['id']}/send", headers=shop.headers, json={})
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "mail_not_sent"
    assert "refused the login" in error["message"]
    history = client.get(f"/v1/invoices/{invoice['id']}/mail", headers=shop.headers).json()
    assert [m["status"] for m in history["data"]] == ["failed"]


def test_templates_are_the_shops_own(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    rival = sign_up(client, "rival@example.org")
    url = "/v1/mail-templates/invoice/nl"
    saved = client.put(url, headers=shop.headers, json={"subject": "Factuur {number} ({shop})"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["custom"] is True
    listed = client.get("/v1/mail-templates", headers=shop.headers).json()["data"]
    mine = {(t["kind"], t["language"]): t for t in listed}
    assert mine[("invoice", "nl")]["subject"] == "Factuur {number} ({shop})"
    theirs = client.get("/v1/mail-templates", headers=rival.headers).json()["data"]
    assert all(not t["custom"] for t in theirs)
    for body in ({"subject": "{bedrag}"}, {"subject": 5}, {}, {"subject": "x", "bcc": "y"}):
        answer = client.put(url, headers=shop.headers, json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
    assert client.put("/v1/mail-templates/receipt/nl", headers=shop.headers,
                      json={"subject": "x"}).status_code == 422  # fmt: skip


def _issued_quote(client: TestClient, shop: Shop) -> dict[str, Any]:
    customer = client.post("/v1/customers", headers=shop.headers, json={
        "name": "Łukasz Żółć", "country": "NL", "street": "Kerkstraat 1",
        "postcode": "1017 GA", "city": "Amsterdam", "email": "lukasz@example.pl"})  # fmt: skip
    draft = client.post("/v1/quotes", headers=shop.headers,
                        json={"customer_id": customer.json()["id"]})  # fmt: skip
    quote_id = draft.json()["id"]
    line = client.post(f"/v1/quotes/{quote_id}/lines", headers=shop.headers,
                       json={"description": "Taart", "unit_price": "25.00"})  # fmt: skip
    assert line.status_code == 201, line.text
    issued = client.post(f"/v1/quotes/{quote_id}/issue", headers=shop.headers)
    assert issued.status_code == 200, issued.text
    body: dict[str, Any] = issued.json()
    return body


def test_a_quote_is_emailed_once_and_marked_sent(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    rival = sign_up(client, "rival@example.org")
    quote = _issued_quote(client, shop)
    url = f"/v1/quotes/{quote['id']}/send"
    _set_up_mail(client, shop)
    assert client.post(url, headers=rival.headers, json={}).status_code == 404
    for body, field in (({"to": "a@example.com"}, "to"), ({"to": ["nope"]}, "to"),
                        ({"attach": "ubl"}, "attach"), ({"again": "1e999"}, "again")):  # fmt: skip
        answer = client.post(url, headers=shop.headers, json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert answer.json()["error"]["param"] == field, body
    first = client.post(url, headers=shop.headers, json={})
    assert first.status_code == 200, first.text
    assert (first.json()["kind"], first.json()["quote_id"]) == ("quote", quote["id"])
    retry = client.post(url, headers=shop.headers, json={})
    assert retry.json()["already_sent"] is True
    assert len(smtp.inbox.received) == 1
    assert smtp.inbox.received[0].message()["Subject"].startswith(f"Quote {quote['number']}")
    shown = client.get(f"/v1/quotes/{quote['id']}", headers=shop.headers).json()
    assert shown["status"] == "sent"
    history = client.get(f"/v1/quotes/{quote['number']}/mail", headers=shop.headers).json()
    assert [m["status"] for m in history["data"]] == ["sent"]
    assert client.get(f"/v1/quotes/{quote['id']}/mail", headers=rival.headers).status_code == 404


def test_reminders_through_the_api(client: TestClient, smtp: Server) -> None:
    shop = sign_up(client)
    # Issued back-dated: due on 15 February, so 15 days overdue on 2 March.
    invoice = _issued(client, shop, issue_date="2026-02-01", due_days="14")
    _set_up_mail(client, shop)
    assert client.patch("/v1/settings", headers=shop.headers,
                        json={"reminder_days": ""}).status_code == 200  # fmt: skip
    none_set = client.post("/v1/reminders", headers=shop.headers, json={"dry_run": True})
    assert none_set.json()["data"] == []  # no cadence, no reminders
    assert client.patch("/v1/settings", headers=shop.headers,
                        json={"reminder_days": "7,30"}).status_code == 200  # fmt: skip
    bad = client.post("/v1/reminders", headers=shop.headers, json={"dry_run": "maybe"})
    assert bad.status_code in (400, 422)
    due = client.post("/v1/reminders", headers=shop.headers, json={"dry_run": True}).json()
    assert [(r["number"], r["outcome"]) for r in due["data"]] == [(invoice["number"], "due")]
    assert smtp.inbox.received == []
    sent = client.post("/v1/reminders", headers=shop.headers, json={}).json()
    assert [(r["number"], r["outcome"]) for r in sent["data"]] == [(invoice["number"], "sent")]
    again = client.post("/v1/reminders", headers=shop.headers, json={}).json()
    assert again["data"] == []  # each step once
    assert len(smtp.inbox.received) == 1
    assert smtp.inbox.received[0].message()["Subject"].startswith("Reminder:")
