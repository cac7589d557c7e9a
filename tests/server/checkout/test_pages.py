"""The buyer's pages through the app (no browser): odd input changes nothing and gets a page
in the buyer's words, never a traceback; expired, cancelled and made-up sessions all get the
same 404 page; the invoice's PDF once issued (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from invoicer.services import checkout
from tests.server.checkout.conftest import CONSUMER, Paying, ok
from tests.server.conftest import MovableClock

URL = "/v1/checkout/sessions"


def _basket(paying: Paying) -> str:
    body = {"lines": [{"product_id": paying.products["Bread"], "quantity": "2"}]}
    return str(ok(paying.post(URL, body), 201)["id"])


def test_the_page_of_an_invoice_and_its_pdf(paying: Paying) -> None:
    made = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    page = paying.client.get(f"/pay/{made['id']}?lang=nl")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "30,25" in page.text
    assert paying.invoice["number"] in page.text
    pdf = paying.client.get(f"/pay/{made['id']}/invoice.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "path",
    [
        "/pay/cs_" + "x" * 32,
        "/pay/cs_%00" + "x" * 30,
        "/pay/" + "a" * 5000,
        "/pay/cs_" + "x" * 32 + "/bank",
        "/pay/nothing/here/at/all",
    ],
)
def test_made_up_addresses_get_the_not_found_page(paying: Paying, path: str) -> None:
    page = paying.client.get(path)
    assert page.status_code == 404
    # A NUL in the path is refused before any route (the API's error object); the rest
    # get the page.
    kind = "application/json" if "%00" in path else "text/html"
    assert page.headers["content-type"].startswith(kind)
    assert "Traceback" not in page.text
    assert paying.invoice["number"] not in page.text


def test_expired_and_cancelled_sessions_are_gone(paying: Paying, clock: MovableClock) -> None:
    short = ok(paying.post(URL, {"invoice_id": paying.invoice["id"], "expires_in_hours": 1}), 201)
    other = ok(paying.post(URL, {"invoice_id": paying.invoice["id"]}), 201)
    ok(paying.client.post(f"{URL}/{other['id']}/cancel", headers=paying.shop.headers))
    clock.advance(hours=1, minutes=1)
    for checkout_id in (short["id"], other["id"]):
        page = paying.client.get(f"/pay/{checkout_id}")
        assert page.status_code == 404
        assert paying.invoice["number"] not in page.text
        assert paying.client.post(f"/pay/{checkout_id}/card").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Anna\x00"},
        {"name": "A" * 5000},
        {"email": "not an e-mail"},
        {"country": "ZZ"},
        {"vat_number": "DE123"},
        {"street": ""},
    ],
)
def test_a_bad_buyer_form_is_shown_again_and_stores_nothing(
    paying: Paying, change: dict[str, str]
) -> None:
    checkout_id = _basket(paying)
    answer = paying.client.post(f"/pay/{checkout_id}/buyer", data={**CONSUMER, **change})
    assert answer.status_code == 422, answer.text
    assert 'aria-invalid="true"' in answer.text
    assert "Traceback" not in answer.text
    assert checkout.get(paying.services(), checkout_id).buyer is None


def test_a_buyer_form_then_the_bank_button_places_one_order(paying: Paying) -> None:
    checkout_id = _basket(paying)
    assert paying.client.get(f"/pay/{checkout_id}/bank", follow_redirects=False).status_code == 303
    assert checkout.get(paying.services(), checkout_id).invoice_id is None  # a GET placed nothing
    saved = paying.client.post(f"/pay/{checkout_id}/buyer", data=CONSUMER, follow_redirects=False)
    assert saved.status_code == 303
    placed = paying.client.post(f"/pay/{checkout_id}/bank", follow_redirects=False)
    assert placed.status_code == 303
    again = paying.client.post(f"/pay/{checkout_id}/bank", follow_redirects=False)
    assert again.status_code == 303
    view = checkout.get(paying.services(), checkout_id)
    assert view.invoice_number is not None
    page = paying.client.get(f"/pay/{checkout_id}/bank?lang=de")
    assert page.status_code == 200
    assert view.invoice_number in page.text
    numbers = [i.number for i in paying.services().invoices.list(limit=50).items]
    assert numbers.count(view.invoice_number) == 1
