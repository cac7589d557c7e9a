"""Webhooks: Stripe events signed with the official library's own signing code (valid,
tampered, stale, wrong secret, another shop), each event handled once and each payment booked
once whatever the order; refunds become proposals; One.com's payment.completed in the
Standard Webhooks scheme (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
import stripe

from invoicer.domain.payments.reference import rf_reference
from invoicer.services import checkout
from invoicer.services.webhooks.onecom import sign
from tests.server.checkout.conftest import B2B_BUYER, Paying, ok
from tests.server.conftest import MovableClock, sign_up

STRIPE_SECRET = "whsec_test_" + "s" * 32
ONECOM_SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def hooked(paying: Paying) -> Paying:
    for name, value in (
        ("stripe_webhook_secret", STRIPE_SECRET),
        ("onecom_webhook_secret", ONECOM_SECRET),
    ):
        stored = paying.client.put(
            f"/v1/shop/secrets/{name}", headers=paying.shop.headers, json={"value": value}
        )
        assert stored.status_code == 204, stored.text
    return paying


def _event(number: int, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_{number}",
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {"object": obj},
    }


def _stripe(
    paying: Paying,
    event: dict[str, Any],
    *,
    secret: str = STRIPE_SECRET,
    at: int | None = None,
    shop: str | None = None,
    body: str | None = None,
) -> Any:
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=at)
    return paying.client.post(
        f"/v1/webhooks/stripe?shop={shop or paying.shop.shop_id}",
        content=(body or payload).encode(),
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def _session_paid(checkout_id: str, shop: str, intent: str, amount: int) -> dict[str, Any]:
    return {
        "id": "cs_test_9",
        "object": "checkout.session",
        "payment_status": "paid",
        "status": "complete",
        "payment_intent": intent,
        "amount_total": amount,
        "currency": "eur",
        "metadata": {"invoicer_checkout": checkout_id, "invoicer_shop": shop},
    }


def _intent(intent: str, amount: int, metadata: dict[str, str]) -> dict[str, Any]:
    return {
        "id": intent,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount,
        "currency": "eur",
        "metadata": metadata,
    }


def _basket(paying: Paying) -> str:
    body = {"lines": [{"product_id": paying.products["Cake box"]}], "buyer": B2B_BUYER}
    return str(ok(paying.post("/v1/checkout/sessions", body), 201)["id"])


def _payments(paying: Paying, invoice_id: str) -> list[tuple[str, str, str | None]]:
    found = paying.services().payments.list(invoice_id)
    return [(p.method, str(p.amount), p.external_id) for p in found]


def test_a_signed_checkout_event_and_its_intent_book_one_payment(hooked: Paying) -> None:
    checkout_id, shop = _basket(hooked), hooked.shop.shop_id
    first = _stripe(
        hooked,
        _event(1, "checkout.session.completed", _session_paid(checkout_id, shop, "pi_A", 2500)),
    )
    assert ok(first)["outcome"] == "booked"
    view = checkout.get(hooked.services(), checkout_id)
    assert view.status == "paid"
    assert view.invoice_number
    meta = {"invoicer_checkout": checkout_id, "invoicer_shop": shop}
    second = ok(_stripe(hooked, _event(2, "payment_intent.succeeded", _intent("pi_A", 2500, meta))))
    assert second["outcome"] == "booked"
    replay = ok(
        _stripe(
            hooked,
            _event(1, "checkout.session.completed", _session_paid(checkout_id, shop, "pi_A", 2500)),
        )
    )
    assert replay["outcome"] == "duplicate"
    assert _payments(hooked, view.invoice_id or "") == [("card", "25.00", "pi_A")]
    assert hooked.services().invoices.get(view.invoice_id or "").status == "paid"


def test_out_of_order_events_book_once(hooked: Paying) -> None:
    checkout_id, shop = _basket(hooked), hooked.shop.shop_id
    meta = {"invoicer_checkout": checkout_id, "invoicer_shop": shop}
    assert (
        ok(_stripe(hooked, _event(5, "payment_intent.succeeded", _intent("pi_B", 2500, meta))))[
            "outcome"
        ]
        == "booked"
    )
    late = _event(4, "checkout.session.completed", _session_paid(checkout_id, shop, "pi_B", 2500))
    assert ok(_stripe(hooked, late))["outcome"] == "booked"
    view = checkout.get(hooked.services(), checkout_id)
    assert _payments(hooked, view.invoice_id or "") == [("card", "25.00", "pi_B")]


def test_tampered_stale_and_foreign_events_are_refused_and_change_nothing(
    hooked: Paying,
) -> None:
    checkout_id, shop = _basket(hooked), hooked.shop.shop_id
    event = _event(7, "checkout.session.completed", _session_paid(checkout_id, shop, "pi_C", 2500))
    tampered = json.dumps(event).replace("2500", "1")
    refusals = [
        _stripe(hooked, event, body=tampered),
        _stripe(hooked, event, at=int(time.time()) - 600),
        _stripe(hooked, event, secret="whsec_someone_elses"),
        _stripe(hooked, event, shop="00000000-0000-0000-0000-000000000000"),
        _stripe(hooked, event, shop="not-a-shop"),
        hooked.client.post(f"/v1/webhooks/stripe?shop={shop}", json=event),
    ]
    for answer in refusals:
        assert answer.status_code in (400, 422), answer.text
        assert STRIPE_SECRET not in answer.text
    rival = sign_up(hooked.client, "rival@example.org", legal_name="Rival B.V.")
    assert _stripe(hooked, event, shop=rival.shop_id).status_code == 400  # no secret there
    assert checkout.get(hooked.services(), checkout_id).status == "open"
    assert checkout.get(hooked.services(), checkout_id).invoice_id is None


def test_an_event_about_another_shop_or_of_another_kind_is_ignored(hooked: Paying) -> None:
    checkout_id = _basket(hooked)
    other = _session_paid(checkout_id, "11111111-1111-1111-1111-111111111111", "pi_D", 2500)
    assert (
        ok(_stripe(hooked, _event(8, "checkout.session.completed", other)))["outcome"] == "ignored"
    )
    assert (
        ok(_stripe(hooked, _event(9, "customer.created", {"id": "cus_1"})))["outcome"] == "ignored"
    )
    assert checkout.get(hooked.services(), checkout_id).status == "open"


def test_a_device_payment_link_is_booked_on_its_invoice_and_a_refund_proposed(
    hooked: Paying,
) -> None:
    invoice = hooked.invoice
    meta = {"invoice_number": invoice["number"]}
    assert (
        ok(_stripe(hooked, _event(10, "payment_intent.succeeded", _intent("pi_E", 3025, meta))))[
            "outcome"
        ]
        == "booked"
    )
    assert _payments(hooked, invoice["id"]) == [("card", "30.25", "pi_E")]
    charge = {
        "id": "ch_E",
        "object": "charge",
        "payment_intent": "pi_E",
        "amount_refunded": 1000,
        "currency": "eur",
    }
    assert ok(_stripe(hooked, _event(11, "charge.refunded", charge)))["outcome"] == "proposed"
    listed = ok(hooked.client.get("/v1/refund-proposals", headers=hooked.shop.headers))
    assert [(p["invoice_id"], p["amount_minor"], p["external_id"]) for p in listed["data"]] == [
        (invoice["id"], 1000, "ch_E")
    ]
    assert _payments(hooked, invoice["id"]) == [("card", "30.25", "pi_E")]  # nothing undone


def _onecom(
    paying: Paying,
    clock: MovableClock,
    data: dict[str, Any],
    *,
    webhook_id: str = "msg_1",
    secret: str = ONECOM_SECRET,
    skew: int = 0,
    body: bytes | None = None,
) -> Any:
    payload = json.dumps({"type": "payment.completed", "data": data}).encode()
    stamp = int(clock.now().timestamp()) + skew
    headers = {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, webhook_id, stamp, payload),
        "Content-Type": "application/json",
    }
    return paying.client.post(
        f"/v1/webhooks/onecom?shop={paying.shop.shop_id}", content=body or payload, headers=headers
    )


def test_onecom_payments_by_invoice_number_rf_reference_and_checkout(
    hooked: Paying, clock: MovableClock
) -> None:
    invoice = hooked.invoice
    half = {"payment_id": "p1", "amount_minor": 1500, "currency": "EUR", "method": "bank_transfer"}
    assert (
        ok(_onecom(hooked, clock, {**half, "reference": invoice["number"]}))["outcome"] == "booked"
    )
    rest = {**half, "payment_id": "p2", "amount_minor": 1525}
    by_rf = _onecom(
        hooked, clock, {**rest, "reference": rf_reference(invoice["number"])}, webhook_id="msg_2"
    )
    assert ok(by_rf)["outcome"] == "booked"
    again = _onecom(hooked, clock, {**rest, "reference": invoice["number"]}, webhook_id="msg_2")
    assert ok(again)["outcome"] == "duplicate"
    assert hooked.services().invoices.get(invoice["id"]).status == "paid"
    checkout_id = _basket(hooked)
    card = {"payment_id": "p3", "amount_minor": 2500, "currency": "EUR", "method": "card"}
    assert (
        ok(_onecom(hooked, clock, {**card, "reference": checkout_id}, webhook_id="msg_3"))[
            "outcome"
        ]
        == "booked"
    )
    assert checkout.get(hooked.services(), checkout_id).status == "paid"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"skew": -301}, 400),
        ({"skew": 301}, 400),
        ({"secret": "whsec_" + base64.b64encode(b"x" * 32).decode()}, 400),
        ({"body": b'{"type": "payment.completed", "data": {"amount_minor": 1}}'}, 400),
    ],
)
def test_onecom_calls_that_do_not_verify_change_nothing(
    hooked: Paying, clock: MovableClock, change: dict[str, Any], status: int
) -> None:
    data = {
        "payment_id": "p9",
        "amount_minor": 3025,
        "currency": "EUR",
        "reference": hooked.invoice["number"],
    }
    answer = _onecom(hooked, clock, data, **change)
    assert answer.status_code == status, answer.text
    assert _payments(hooked, hooked.invoice["id"]) == []


@pytest.mark.parametrize(
    "data",
    [
        {"payment_id": "p", "amount_minor": 1e999, "currency": "EUR", "reference": "X"},
        {"payment_id": "p", "amount_minor": "3025", "currency": "EUR", "reference": "X"},
        {"payment_id": "p", "amount_minor": True, "currency": "EUR", "reference": "X"},
        {"payment_id": "", "amount_minor": 1, "currency": "EUR", "reference": "X"},
        {
            "payment_id": "p",
            "amount_minor": 1,
            "currency": "EUR",
            "reference": "X",
            "paid_at": "year 1",
        },
    ],
)
def test_onecom_bad_payloads_are_refused_by_name(
    hooked: Paying, clock: MovableClock, data: dict[str, Any]
) -> None:
    answer = _onecom(hooked, clock, data)
    assert answer.status_code == 400, answer.text
    assert "data." in answer.json()["error"]["message"]
    assert _payments(hooked, hooked.invoice["id"]) == []
