"""The buyer's pages in a real browser: headless Debian Chromium (Selenium) against the real
server on a loopback port, the Stripe stand-in's hosted page and the VIES stand-in. A buyer
pays an invoice by card, a business buyer fills in a basket's form with its VAT number and
gets reverse charge, and a buyer with JavaScript switched off pays by bank transfer.
Screenshots: docs/screenshots/checkout-*.png."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.server.pages.browser import chromium, screenshot
from tests.server.pages.conftest import LiveShop

pytestmark = pytest.mark.slow


def wait_for(driver: Any, css: str, timeout: float = 15.0) -> Any:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        expected_conditions.presence_of_element_located(("css selector", css))
    )


def wait_until(check: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def test_an_invoice_paid_by_card_through_stripes_hosted_page(live_shop: LiveShop) -> None:
    invoice = live_shop.issued_invoice()
    session = live_shop.session(invoice_id=invoice["id"])
    assert session["url"].startswith(f"{live_shop.server.url}/pay/cs_")
    with chromium() as driver:
        driver.get(session["url"])
        heading = wait_for(driver, "h1").text
        assert heading == f"Pay invoice {invoice['number']}"
        assert driver.find_element("id", "amount-due").text == "30.25 EUR"  # 25.00 + 21 %
        assert "Bakkerij Test B.V." in driver.find_element("css selector", ".parties").text
        screenshot(driver, "invoice")
        driver.find_element("id", "pay-card").click()
        # Stripe's page (the stand-in's, on its own origin): the CSP's form-action allowed it.
        wait_until(lambda: driver.current_url.startswith(live_shop.stripe_url))
        screenshot(driver, "stripe-hosted")
        driver.find_element(
            "css selector", "form button[type=submit], form input[type=submit]"
        ).click()
        wait_until(lambda: "/done" in driver.current_url)
        title = wait_for(driver, "#done-title").text
        assert title == "Thank you for your payment"
        assert invoice["number"] in driver.find_element("css selector", "main").text
        screenshot(driver, "paid")
    paid = live_shop.call("GET", f"/v1/invoices/{invoice['id']}", 200)
    assert paid["status"] == "paid"
    payments = live_shop.call("GET", f"/v1/invoices/{invoice['id']}/payments", 200)["data"]
    assert [p["method"] for p in payments] == ["card"]  # the webhook and the refresh: once


def test_a_business_buyer_enters_its_vat_number_and_gets_reverse_charge(
    live_shop: LiveShop,
) -> None:
    flour = live_shop.product(name="Rye flour 25 kg", unit_price="40.00", supply_kind="goods")
    oven = live_shop.product(name="Oven servicing", unit_price="150.00", supply_kind="services")
    session = live_shop.session(
        lines=[{"product_id": flour, "quantity": "3"}, {"product_id": oven, "quantity": "1"}]
    )
    with chromium(language="de-DE") as driver:
        driver.get(session["url"])
        assert wait_for(driver, "h1").text == "Ihre Bestellung bezahlen"
        assert "Geben Sie zuerst oben Ihre Angaben ein" in driver.page_source
        assert not driver.find_elements("id", "pay-card")  # no buyer yet: nothing to pay
        from selenium.webdriver.support.ui import Select

        for name, value in {
            "name": "Bäckerei Müller GmbH",
            "email": "einkauf@mueller.example",
            "street": "Unter den Linden 1",
            "postcode": "10117",
            "city": "Berlin",
            "vat_number": "DE 136 695 976",
        }.items():
            field = driver.find_element("id", f"buyer-{name}")
            field.clear()
            field.send_keys(value)
        Select(driver.find_element("id", "buyer-country")).select_by_value("DE")
        driver.find_element("id", "save-buyer").click()
        wait_for(driver, "#pay-card")
        text = driver.find_element("css selector", "main").text
        assert "Steuerschuldnerschaft des Leistungsempfängers" in text
        assert "DE136695976" in text
        assert driver.find_element("id", "amount-due").text == "270,00 EUR"  # no VAT charged
        screenshot(driver, "basket-b2b")
        driver.find_element("id", "pay-bank").click()
        wait_for(driver, "#bank-reference")
        reference = driver.find_element("id", "bank-reference").text
        assert reference.startswith("RF")
        screenshot(driver, "basket-bank")
    [issued] = [
        i for i in live_shop.call("GET", "/v1/invoices", 200)["data"] if i.get("number")
    ]  # placing the order issued its invoice, once
    assert issued["status"] == "open"


def test_bank_transfer_works_with_javascript_switched_off(live_shop: LiveShop) -> None:
    invoice = live_shop.issued_invoice()
    session = live_shop.session(invoice_id=invoice["id"])
    with chromium(javascript=False, language="nl-NL") as driver:
        driver.get("data:text/html,<title>off</title><script>document.title='on'</script>")
        assert driver.title == "off"  # the browser really runs no script
        driver.get(session["url"])
        assert wait_for(driver, "h1").text == f"Factuur {invoice['number']} betalen"
        driver.find_element("id", "pay-bank").click()
        wait_for(driver, "#bank-iban")
        assert driver.find_element("id", "bank-iban").text.replace(" ", "") == "NL91ABNA0417164300"
        assert driver.find_element("id", "bank-amount").text == "30,25 EUR"
        reference = driver.find_element("id", "bank-reference").text
        assert reference.startswith("RF")
        qr = driver.find_element("css selector", "figure svg[role=img]")
        assert qr.size["width"] >= 150  # big enough to scan from a screen
        assert (
            driver.find_element("css selector", "figure svg title").get_attribute("textContent")
            == "QR-code voor een SEPA-overschrijving"
        )
        screenshot(driver, "bank-no-js")
        driver.find_element("link text", "English").click()
        assert wait_for(driver, "h1").text == "Pay by bank transfer"


def test_an_unknown_or_made_up_id_gets_the_not_found_page(live_shop: LiveShop) -> None:
    with chromium(language="fr-FR") as driver:
        driver.get(f"{live_shop.server.url}/pay/cs_{'x' * 32}")
        assert wait_for(driver, "h1").text == "Page de paiement introuvable"
        screenshot(driver, "not-found")
    answer = httpx.get(f"{live_shop.server.url}/pay/cs_{'x' * 32}", timeout=10)
    assert answer.status_code == 404
