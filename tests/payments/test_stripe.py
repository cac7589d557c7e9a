"""Stripe Checkout through the official library against a local Stripe stand-in."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import keyring
import pytest

from invoicer.domain.errors import Conflict
from invoicer.integrations import secrets
from invoicer.integrations.stripe_payments import StripeProblem, verify_webhook
from invoicer.services.app import Services, open_services
from invoicer.services.commands import RecordPayment, ShopProfileChanges
from invoicer.services.documents import document, statement
from invoicer.services.payments_stripe import create_link, refresh
from tests.keyrings import MemoryKeyring
from tests.payments.shop import SHOP, issued

from . import stripe_server


@pytest.fixture
def stripe_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Services, Any]]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with stripe_server.running() as (url, stand_in):
        monkeypatch.setenv("INVOICER_STRIPE_API_BASE", url)
        secrets.set_secret("stripe_secret_key", stripe_server.VALID_KEY)
        svc = open_services(tmp_path / "s.sqlite", today=lambda: dt.date(2026, 3, 16))
        svc.shop.save(ShopProfileChanges(**SHOP))
        try:
            yield svc, stand_in
        finally:
            svc.close()
            keyring.set_keyring(previous)


def test_link_for_the_balance_then_refresh_records_the_payment_once(
    stripe_env: tuple[Services, Any],
) -> None:
    svc, stand_in = stripe_env
    invoice_id = issued(svc)  # 121.00
    request = create_link(svc, invoice_id)
    assert request.url.startswith("https://checkout.stripe.test/")
    assert request.amount_minor == 12100
    method, path, form = stand_in.requests[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    number = svc.invoices.get(invoice_id).number
    assert form["metadata[invoice_number]"] == number
    assert form["line_items[0][price_data][currency]"] == "eur"
    assert create_link(svc, invoice_id).id == request.id  # the same link, not a second one
    # The link goes on the payment statement; the issued invoice stays as it was issued.
    assert statement(svc, invoice_id).invoice.card_payment_url == request.url
    assert document(svc, invoice_id).card_payment_url is None
    assert refresh(svc).still_open == 1
    stand_in.pay(request.external_id, fee=377)
    report = refresh(svc)
    assert report.paid == (number,)
    invoice = svc.invoices.get(invoice_id)
    assert (invoice.status, invoice.paid) == ("paid", Decimal("121.00"))
    [payment] = svc.payments.list(invoice_id)
    assert (payment.method, payment.external_id) == ("card", f"pi_{request.external_id[3:]}")
    assert payment.extra == {"stripe_session": request.external_id, "fee_minor": 377}
    assert refresh(svc).paid == ()  # running it again records nothing twice
    assert len(svc.payments.list(invoice_id)) == 1


def test_expired_links_are_marked(stripe_env: tuple[Services, Any]) -> None:
    svc, stand_in = stripe_env
    request = create_link(svc, issued(svc))
    stand_in.expire(request.external_id)
    assert refresh(svc).expired == 1


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("bad_key", "refused the secret key"),
        ("rate_limit", "rate limiting"),
        ("too_small", "at least"),
        ("offline", "Could not reach Stripe"),
    ],
)
def test_stripe_errors_become_clear_messages(
    stripe_env: tuple[Services, Any], monkeypatch: pytest.MonkeyPatch, setup: str, words: str
) -> None:
    svc, stand_in = stripe_env
    invoice_id = issued(svc, price="0.30" if setup == "too_small" else "10")
    if setup == "bad_key":
        secrets.set_secret("stripe_secret_key", "sk_test_wrong")
    if setup == "rate_limit":
        stand_in.rate_limited = True
    if setup == "offline":
        monkeypatch.setenv("INVOICER_STRIPE_API_BASE", "http://127.0.0.1:9")
        svc.reload_settings()  # the services read the settings when they open
    with pytest.raises(StripeProblem, match=words) as error:
        create_link(svc, invoice_id)
    assert "sk_test" not in str(error.value)


def test_no_link_without_a_key_or_a_balance(stripe_env: tuple[Services, Any]) -> None:
    svc, _ = stripe_env
    invoice_id = issued(svc)
    svc.payments.add(invoice_id, RecordPayment(amount="121.00"))
    with pytest.raises(Conflict, match="nothing left to pay"):
        create_link(svc, invoice_id)
    secrets.delete_secret("stripe_secret_key")
    with pytest.raises(Conflict, match="secrets set stripe_secret_key"):
        create_link(svc, issued(svc))


def sign(payload: bytes, secret: str, when: int) -> str:
    digest = hmac.new(secret.encode(), f"{when}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={when},v1={digest}"


def test_webhook_signatures() -> None:
    secret = "whsec_test_secret"
    payload = json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": {"id": "cs_test_0001"}},
        }
    ).encode()
    now = int(time.time())
    event = verify_webhook(payload, sign(payload, secret, now), secret)
    assert event["type"] == "checkout.session.completed"
    with pytest.raises(StripeProblem, match="does not verify"):
        verify_webhook(payload + b" ", sign(payload, secret, now), secret)
    with pytest.raises(StripeProblem, match="does not verify"):
        verify_webhook(payload, sign(payload, "whsec_other", now), secret)
    with pytest.raises(StripeProblem, match="too old"):
        verify_webhook(payload, sign(payload, secret, now - 3600), secret, tolerance_seconds=300)
