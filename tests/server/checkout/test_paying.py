"""Paying a checkout: a basket's order placed once (its invoice issued in the server's
series), a payment booked once whoever reports it, bank transfer details with the invoice's
RF reference and EPC QR, a card payment through the Stripe stand-in (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from invoicer.domain.errors import Conflict, ValidationError
from invoicer.domain.payments.reference import rf_reference
from invoicer.services import checkout
from tests.server.checkout.conftest import B2B_BUYER, CONSUMER, Paying, ok
from tests.server.conftest import MovableClock

URL = "/v1/checkout/sessions"


def _basket(paying: Paying, buyer: dict[str, str] | None = CONSUMER) -> str:
    body: dict[str, object] = {
        "lines": [
            {"product_id": paying.products["Bread"], "quantity": "3"},
            {"product_id": paying.products["Cake box"]},
        ]
    }
    if buyer is not None:
        body["buyer"] = buyer
    return str(ok(paying.post(URL, body), 201)["id"])


def _invoices(paying: Paying) -> list[str]:
    svc = paying.services()
    return sorted(i.number or "" for i in svc.invoices.list(limit=100).items)


def test_paying_a_basket_issues_its_invoice_and_books_the_payment_once(paying: Paying) -> None:
    svc = paying.services()
    checkout_id = _basket(paying, B2B_BUYER)
    before = _invoices(paying)
    paid = checkout.complete(
        svc, checkout_id, method="card", external_id="pi_1", amount_minor=3700, currency_code="EUR"
    )
    assert paid.status == "paid"
    assert paid.invoice_number is not None
    assert paid.invoice_number not in before
    invoice = svc.invoices.get(paid.invoice_id or "")
    assert invoice.status == "paid"
    assert invoice.gross == Decimal("37.00")
    assert invoice.buyer.name == B2B_BUYER["name"]
    assert invoice.buyer.vat_number == B2B_BUYER["vat_number"]
    assert {group.category for group in invoice.vat_groups} == {"K"}
    assert invoice.language == "de"
    customer = svc.customers.get(invoice.customer_id)
    assert customer.vies_valid is True  # the proof of the reverse charge is kept
    again = checkout.complete(
        svc, checkout_id, method="card", external_id="pi_1", amount_minor=3700, currency_code="EUR"
    )
    assert again.invoice_id == paid.invoice_id
    assert again.payment_id == paid.payment_id
    assert len(svc.payments.list(invoice.id)) == 1
    assert _invoices(paying) == sorted([*before, paid.invoice_number])


def test_two_reports_at_once_place_one_order_and_book_one_payment(paying: Paying) -> None:
    checkout_id = _basket(paying)
    before = _invoices(paying)
    results: list[object] = []

    def report() -> None:
        try:
            results.append(
                checkout.complete(
                    paying.services(),
                    checkout_id,
                    method="card",
                    external_id="pi_race",
                    amount_minor=4333,
                    currency_code="EUR",
                )
            )
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(isinstance(r, checkout.CheckoutView) for r in results), results
    views = [r for r in results if isinstance(r, checkout.CheckoutView)]
    assert len({v.invoice_id for v in views}) == 1
    assert len(_invoices(paying)) == len(before) + 1
    invoice_id = views[0].invoice_id or ""
    assert len(paying.services().payments.list(invoice_id)) == 1


def test_a_bank_transfer_places_the_order_once_with_the_invoices_reference(
    paying: Paying,
) -> None:
    svc = paying.services()
    checkout_id = _basket(paying)
    transfer = checkout.bank_transfer(svc, checkout_id)
    view = checkout.get(svc, checkout_id)
    assert view.status == "open"
    assert view.invoice_number == transfer.invoice_number
    assert transfer.reference == rf_reference(transfer.invoice_number)
    assert transfer.amount == Decimal("43.33")
    assert transfer.iban == "NL91ABNA0417164300"
    assert transfer.epc_payload is not None
    payload = transfer.epc_payload.decode().split("\n")
    assert payload[:3] == ["BCD", "002", "1"]
    assert "EUR43.33" in payload
    assert transfer.reference in payload
    assert checkout.bank_transfer(svc, checkout_id).invoice_number == transfer.invoice_number
    invoice = svc.invoices.get(view.invoice_id or "")
    assert invoice.due_date is not None
    assert invoice.due_date > invoice.issue_date
    with pytest.raises(Conflict):
        checkout.set_buyer(svc, checkout_id, {**CONSUMER, "name": "Someone else"})


def test_a_basket_without_its_buyer_cannot_be_paid(paying: Paying) -> None:
    svc = paying.services()
    checkout_id = _basket(paying, buyer=None)
    with pytest.raises(Conflict, match="details"):
        checkout.bank_transfer(svc, checkout_id)
    with pytest.raises(Conflict, match="details"):
        checkout.start_card(svc, checkout_id, success_url="http://x/ok", cancel_url="http://x/no")
    checkout.set_buyer(svc, checkout_id, CONSUMER)
    assert checkout.quote(svc, checkout_id).needs_buyer is False


def test_a_card_payment_through_stripe_is_booked_when_the_buyer_returns(paying: Paying) -> None:
    svc = paying.services()
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    url = checkout.start_card(
        svc, made["id"], success_url="http://testserver/ok", cancel_url="http://testserver/no"
    )
    session_id = url.rsplit("/", 1)[1]
    session = paying.stripe.sessions[session_id]
    assert session["amount_total"] == 3025
    assert session["metadata"]["invoicer_checkout"] == made["id"]
    assert session["metadata"]["invoicer_shop"] == paying.shop.shop_id
    assert checkout.refresh(svc, made["id"]).status == "open"  # not paid yet
    paying.stripe.pay(session_id)
    paid = checkout.refresh(svc, made["id"])
    assert paid.status == "paid"
    payments = svc.payments.list(paying.invoice["id"])
    assert [(p.method, p.amount, p.external_id) for p in payments] == [
        ("card", Decimal("30.25"), f"pi_{session_id[3:]}")
    ]
    assert svc.invoices.get(paying.invoice["id"]).status == "paid"
    assert checkout.refresh(svc, made["id"]).payment_id == paid.payment_id


def test_a_failed_order_leaves_no_draft_and_can_be_placed_again(
    paying: Paying, clock: MovableClock
) -> None:
    svc = paying.services()
    checkout_id = _basket(paying)
    before = [(i.id, i.status) for i in svc.invoices.list(limit=100).items]
    clock.advance(days=-1)  # issuing before the series' last invoice date is refused
    with pytest.raises(ValidationError, match="chronological"):
        checkout.bank_transfer(svc, checkout_id)
    assert [(i.id, i.status) for i in svc.invoices.list(limit=100).items] == before
    assert checkout.get(svc, checkout_id).invoice_id is None
    clock.advance(days=1)
    assert checkout.bank_transfer(svc, checkout_id).invoice_number
