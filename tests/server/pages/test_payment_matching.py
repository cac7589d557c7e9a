"""The same bank transfer reported twice, by One.com's webhook on the server and by a bank
statement imported on a laptop, is one payment on every device after sync, whichever
arrives first (the match rule of docs/payments.md)."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from invoicer.domain.payments.reference import rf_reference
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from invoicer.services.webhooks.onecom import sign
from tests.payments.test_bank_statements import camt
from tests.server.pages.conftest import LiveShop

pytestmark = pytest.mark.slow
SECRET = "whsec_" + base64.b64encode(b"m" * 32).decode()


def _issued(laptop: Services) -> tuple[str, str]:
    customer = laptop.customers.add(
        NewCustomer(
            name="Jansen", country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    )
    draft = laptop.invoices.create_draft(NewDraft(customer_id=customer.id))
    laptop.invoices.add_line(draft.id, NewLine(description="Tea", unit_price="12.50", quantity="2"))
    invoice = laptop.invoices.issue(draft.id)
    laptop.sync.run()
    return invoice.id, invoice.number or ""


def _onecom(live_shop: LiveShop, number: str, payment_id: str) -> str:
    live_shop.call("PUT", "/v1/shop/secrets/onecom_webhook_secret", 204, json={"value": SECRET})
    body = json.dumps(
        {
            "type": "payment.completed",
            "data": {
                "payment_id": payment_id,
                "amount_minor": 3025,
                "currency": "EUR",
                "method": "bank_transfer",
                "reference": rf_reference(number),
            },
        }
    ).encode()
    stamp = int(time.time())
    answer = httpx.post(
        f"{live_shop.server.url}/v1/webhooks/onecom?shop={live_shop.shop_id}",
        content=body,
        headers={
            "webhook-id": f"msg_{payment_id}",
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign(SECRET, f"msg_{payment_id}", stamp, body),
            "Content-Type": "application/json",
        },
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["outcome"])


def _statement(number: str) -> bytes:
    return camt(
        [{"id": "BANK-1", "amount": "30.25", "ref": rf_reference(number), "name": "Jansen"}]
    )


def test_statement_first_then_the_webhook_is_matched(laptop: Services, live_shop: LiveShop) -> None:
    invoice_id, number = _issued(laptop)
    report = laptop.bank.import_statement(_statement(number))
    assert len(report.booked) == 1
    laptop.sync.run()
    assert _onecom(live_shop, number, "p-1") == "matched"
    laptop.sync.run()
    assert [str(p.amount) for p in laptop.payments.list(invoice_id)] == ["30.25"]
    assert laptop.invoices.get(invoice_id).status == "paid"


def test_the_webhook_first_then_the_statement_is_matched(
    laptop: Services, live_shop: LiveShop
) -> None:
    invoice_id, number = _issued(laptop)
    assert _onecom(live_shop, number, "p-2") == "booked"
    laptop.sync.run()
    report = laptop.bank.import_statement(_statement(number))
    assert report.booked == ()
    assert [credit.entry_id.split(":")[1] for credit, _ in report.matched] == ["BANK-1"]
    assert [str(p.amount) for p in laptop.payments.list(invoice_id)] == ["30.25"]
    assert laptop.invoices.get(invoice_id).status == "paid"
