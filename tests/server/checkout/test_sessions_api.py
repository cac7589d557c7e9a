"""Checkout sessions over the API: for an invoice's balance or a basket, the buyer's URL,
expiry and cancel, another shop's ids, and bad input that changes nothing (SQLite and
PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from invoicer.domain.errors import NotFound
from invoicer.services import checkout
from tests.server.checkout.conftest import B2B_BUYER, CONSUMER, Paying, ok
from tests.server.conftest import MovableClock, sign_up
from tests.server.security import assert_error_shape

URL = "/v1/checkout/sessions"


def _count(paying: Paying) -> int:
    from sqlalchemy import func, select

    from invoicer.store.checkout_schema import CheckoutSession

    with paying.services().read() as session:
        return int(session.execute(select(func.count()).select_from(CheckoutSession)).scalar() or 0)


def test_a_session_for_an_issued_invoice_asks_its_balance(paying: Paying) -> None:
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    assert made["object"] == "checkout.session"
    assert made["kind"] == "invoice"
    assert made["status"] == "open"
    assert made["amount_minor"] == 3025  # 2 × 12.50 + 21 %
    assert made["currency"] == "EUR"
    assert made["invoice_number"] == paying.invoice["number"]
    assert made["url"] == f"http://testserver/pay/{made['id']}"
    assert made["id"].startswith("cs_")
    assert len(made["id"]) >= 35
    assert ok(paying.client.get(f"{URL}/{made['id']}", headers=paying.shop.headers)) == made
    by_number = ok(paying.post(URL, {"invoice_id": paying.invoice["number"]}), 201)
    assert by_number["invoice_id"] == paying.invoice["id"]
    assert by_number["id"] != made["id"]


def test_a_basket_is_priced_and_taxed_for_its_buyer(paying: Paying) -> None:
    lines = [
        {"product_id": paying.products["Bread"], "quantity": "3"},
        {"product_id": paying.products["Cake box"]},
    ]
    consumer = ok(paying.post(URL, {"lines": lines, "buyer": CONSUMER}), 201)
    # 3 × 4.00 at 9 % + 25.00 at 21 %: 12.00 + 1.08 + 25.00 + 5.25
    assert consumer["amount_minor"] == 4333
    assert consumer["kind"] == "basket"
    assert consumer["invoice_id"] is None
    assert consumer["language"] == "nl"

    business = ok(paying.post(URL, {"lines": lines, "buyer": B2B_BUYER}), 201)
    assert business["amount_minor"] == 3700  # an intra-EU supply of goods: no VAT
    page = checkout.quote(paying.services(), business["id"])
    assert {row.category for row in page.vat} == {"K"}
    assert page.vat_total == 0
    assert page.needs_buyer is False
    assert page.methods == ("card", "bank_transfer")
    assert paying.vies.requests[-1]["vatNumber"] == "136695976"

    anonymous = ok(paying.post(URL, {"lines": lines}), 201)
    assert anonymous["amount_minor"] == 4333  # shown as to a consumer in the shop's country
    assert checkout.quote(paying.services(), anonymous["id"]).needs_buyer is True


def test_a_vat_number_vies_rejects_or_cannot_confirm_is_refused(paying: Paying) -> None:
    lines = [{"product_id": paying.products["Bread"]}]
    paying.vies.invalid.add("136695976")
    refused = paying.post(URL, {"lines": lines, "buyer": B2B_BUYER})
    error = assert_error_shape(refused, 422)
    assert error["problems"][0]["param"] == "buyer.vat_number"
    assert "not valid" in error["problems"][0]["message"]
    paying.vies.invalid.clear()
    paying.vies.fail_first.append("MS_UNAVAILABLE")
    busy = assert_error_shape(paying.post(URL, {"lines": lines, "buyer": B2B_BUYER}), 422)
    assert busy["problems"][0]["code"] == "vies_unavailable"
    assert _count(paying) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "invoice_id"),
        ({"invoice_id": "x", "lines": []}, "invoice_id"),
        ({"lines": []}, "lines"),
        ({"lines": [{"product_id": "nope"}]}, "lines[0].product_id"),
        ({"lines": [{"product_id": "\x00"}]}, "lines[0].product_id"),
        ({"lines": [{"product_id": "P", "quantity": "1e999"}]}, "lines[0].quantity"),
        ({"lines": [{"product_id": "P", "quantity": "-1"}]}, "lines[0].quantity"),
        ({"lines": [{"product_id": "P", "price": "1"}]}, "lines[0].price"),
        ({"lines": [{"product_id": "P"}], "expires_in_hours": 0}, "expires_in_hours"),
        ({"lines": [{"product_id": "P"}], "expires_in_hours": "9999"}, "expires_in_hours"),
        ({"lines": [{"product_id": "P"}], "language": "xx"}, "language"),
        ({"lines": [{"product_id": "P"}], "buyer": {"name": "A"}}, "buyer.email"),
        ({"lines": [{"product_id": "P"}], "buyer": {**CONSUMER, "country": "ZZ"}}, "buyer.country"),
        ({"lines": [{"product_id": "P"}], "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_refused_by_field_and_stores_nothing(
    paying: Paying, body: dict[str, Any], field: str
) -> None:
    text = repr(body).replace("'P'", repr(paying.products["Bread"]))
    body = eval(text)
    answer = paying.post(URL, body)
    error = assert_error_shape(answer, 422)
    assert field in [problem["param"] for problem in error.get("problems", [error])], error
    assert _count(paying) == 0


def test_invoices_that_cannot_be_paid_are_refused(paying: Paying) -> None:
    client, headers = paying.client, paying.shop.headers
    customer = paying.invoice["customer_id"]
    draft = ok(client.post("/v1/invoices", headers=headers, json={"customer_id": customer}), 201)
    assert_error_shape(paying.post(URL, {"invoice_id": draft["id"]}), 409)
    assert_error_shape(paying.post(URL, {"invoice_id": "no-such-invoice"}), 404)
    pay = {"amount": "30.25"}
    ok(client.post(f"/v1/invoices/{paying.invoice['id']}/payments", headers=headers, json=pay), 201)
    assert_error_shape(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 409)
    assert _count(paying) == 0


def test_another_shops_ids_are_not_found(paying: Paying) -> None:
    rival = sign_up(paying.client, "rival@example.org", legal_name="Rival B.V.")
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    for path in (f"{URL}/{made['id']}", f"{URL}/{made['id']}/cancel"):
        call = paying.client.get if path.endswith(made["id"]) else paying.client.post
        assert_error_shape(call(path, headers=rival.headers), 404)
    assert_error_shape(paying.post(URL, {"invoice_id": paying.invoice["id"]}, rival), 404)
    basket = {"lines": [{"product_id": paying.products["Bread"]}]}
    error = assert_error_shape(paying.post(URL, basket, rival), 422)
    assert error["problems"][0]["param"] == "lines[0].product_id"
    assert ok(paying.client.get(f"{URL}/{made['id']}", headers=paying.shop.headers))["status"] == (
        "open"
    )


def test_sessions_expire_and_can_be_cancelled(paying: Paying, clock: MovableClock) -> None:
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"], "expires_in_hours": 2}), 201)
    other = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    cancelled = ok(paying.client.post(f"{URL}/{other['id']}/cancel", headers=paying.shop.headers))
    assert cancelled["status"] == "cancelled"
    clock.advance(hours=2, seconds=1)  # past the access token's life too: ask the service
    svc = paying.services()
    assert checkout.get(svc, made["id"]).status == "expired"
    assert checkout.get(svc, other["id"]).status == "cancelled"
    for checkout_id in (made["id"], other["id"]):
        with pytest.raises(NotFound):
            checkout.open_session(svc, checkout_id)


def test_the_url_uses_the_configured_public_base(paying: Paying) -> None:
    state = paying.client.app.state.invoicer  # type: ignore[attr-defined]
    from dataclasses import replace

    state.config = replace(state.config, hosted_checkout_base="https://pay.bakkerij.example/")
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    assert made["url"] == f"https://pay.bakkerij.example/pay/{made['id']}"
