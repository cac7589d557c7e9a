"""A merchant's laptop sees what buyers paid online after its next sync: an invoice issued on
the laptop, paid by card on the server's page (booked by Stripe's signed webhooks), and a
basket whose invoice the server issued in its own series, paid by bank transfer later."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from tests.server.pages.conftest import LiveShop

pytestmark = pytest.mark.slow


def _pay_by_card(live_shop: LiveShop, page_url: str) -> None:
    """What the buyer's browser does: the page's card button, then Stripe's Pay button."""
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        to_stripe = browser.post(f"{page_url}/card")
        assert to_stripe.status_code == 303, to_stripe.text
        assert to_stripe.headers["location"].startswith(live_shop.stripe_url)
        paid = browser.post(to_stripe.headers["location"])
        assert paid.status_code == 303
        assert browser.get(paid.headers["location"]).status_code == 200  # the done page
    assert live_shop.stripe.deliveries == [
        ("checkout.session.completed", 200),
        ("payment_intent.succeeded", 200),
    ]


def test_a_card_payment_on_the_server_shows_on_the_laptop(
    laptop: Services, live_shop: LiveShop
) -> None:
    customer = laptop.customers.add(
        NewCustomer(
            name="Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    )
    draft = laptop.invoices.create_draft(NewDraft(customer_id=customer.id))
    laptop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="12.50", quantity="2"))
    invoice = laptop.invoices.issue(draft.id)
    laptop.sync.run()  # the invoice reaches the server

    session: dict[str, Any] = live_shop.session(invoice_id=invoice.id)
    assert session["amount_minor"] == 3025
    _pay_by_card(live_shop, session["url"])
    assert laptop.invoices.get(invoice.id).status == "open"  # not synced yet

    laptop.sync.run()
    seen = laptop.invoices.get(invoice.id)
    assert seen.status == "paid"
    assert [(p.method, str(p.amount)) for p in laptop.payments.list(invoice.id)] == [
        ("card", "30.25")
    ]
    laptop.sync.run()  # nothing more comes in twice
    assert len(laptop.payments.list(invoice.id)) == 1


def test_a_basket_ordered_on_the_server_arrives_with_its_invoice(
    laptop: Services, live_shop: LiveShop
) -> None:
    cake = live_shop.product(name="Cake box", unit_price="25.00")
    buyer = {
        "name": "Anna de Vries",
        "email": "anna@example.nl",
        "street": "Prinsengracht 263",
        "postcode": "1016 GV",
        "city": "Amsterdam",
        "country": "NL",
    }
    session = live_shop.session(lines=[{"product_id": cake, "quantity": "2"}], buyer=buyer)
    placed = httpx.post(f"{session['url']}/bank", timeout=30)  # the page's bank button
    assert placed.status_code == 303
    made = live_shop.call("GET", f"/v1/checkout/sessions/{session['id']}", 200)
    assert made["invoice_number"]
    laptop.sync.run()
    [arrived] = [
        i for i in laptop.invoices.list(limit=50).items if i.number == made["invoice_number"]
    ]
    assert arrived.customer_name == "Anna de Vries"
    assert str(arrived.gross) == "60.50"
    assert arrived.status == "open"
