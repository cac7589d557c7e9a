"""A server shop that can be paid online: the Stripe and VIES stand-ins on loopback as the
server's endpoints, the shop's Stripe key in the (test) keyring, products, and an issued
invoice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from invoicer.server.app import create_app
from invoicer.server.auth import shop_services
from invoicer.services.app import Services
from invoicer.services.settings import Settings
from invoicer.store.database import open_database
from tests.integrations import vies_server
from tests.keyrings import MemoryKeyring
from tests.payments import stripe_server
from tests.server.conftest import MovableClock, Shop, make_config, sign_up

CUSTOMER = {
    "name": "Jansen & Zn. B.V.",
    "country": "NL",
    "street": "Kerkstraat 12",
    "postcode": "1017 GA",
    "city": "Amsterdam",
    "email": "jansen@example.nl",
}
B2B_BUYER = {
    "name": "Müller Bäckerei GmbH",
    "email": "einkauf@mueller.example",
    "street": "Hauptstraße 5",
    "postcode": "80331",
    "city": "München",
    "country": "DE",
    "vat_number": "DE136695976",
    "language": "de",
}
CONSUMER = {
    "name": "Anna de Vries",
    "email": "anna@example.nl",
    "street": "Prinsengracht 263",
    "postcode": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
    "language": "nl",
}


@dataclass
class Paying:
    client: TestClient
    shop: Shop
    stripe: stripe_server.StripeStandIn
    vies: vies_server.ViesStandIn
    products: dict[str, str]  # name -> id
    invoice: dict[str, Any]  # an issued invoice of 2 × 12.50 + 21 % VAT

    def services(self, shop: Shop | None = None) -> Services:
        state = self.client.app.state.invoicer  # type: ignore[attr-defined]
        return shop_services(state, (shop or self.shop).shop_id, "test")

    def post(self, path: str, body: Any, shop: Shop | None = None) -> Any:
        return self.client.post(path, headers=(shop or self.shop).headers, json=body)


@pytest.fixture
def stripe_api() -> Iterator[tuple[str, stripe_server.StripeStandIn]]:
    with stripe_server.running() as running:
        yield running


@pytest.fixture
def vies_api() -> Iterator[tuple[str, vies_server.ViesStandIn]]:
    with vies_server.running() as running:
        yield running


@pytest.fixture
def paying_app(
    server_db: str,
    clock: MovableClock,
    stripe_api: tuple[str, Any],
    vies_api: tuple[str, Any],
    memory_keyring: MemoryKeyring,
) -> Iterator[Any]:
    settings = Settings(
        stripe_api_base=stripe_api[0], vies_url=vies_api[0], vies_timeout_seconds=5, vies_retries=0
    )
    db = open_database(server_db)
    application = create_app(make_config(server_db), db=db, clock=clock, settings=settings)
    yield application
    db.close()


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def issued_invoice(client: TestClient, shop: Shop) -> dict[str, Any]:
    customer = ok(client.post("/v1/customers", headers=shop.headers, json=CUSTOMER), 201)
    draft = ok(
        client.post("/v1/invoices", headers=shop.headers, json={"customer_id": customer["id"]}),
        201,
    )
    line = {"description": "Sourdough bread", "quantity": "2", "unit_price": "12.50"}
    ok(client.post(f"/v1/invoices/{draft['id']}/lines", headers=shop.headers, json=line), 201)
    return ok(client.post(f"/v1/invoices/{draft['id']}/issue", headers=shop.headers))


def add_products(client: TestClient, shop: Shop) -> dict[str, str]:
    made = {}
    for name, price, rate in (("Bread", "4.00", "reduced"), ("Cake box", "25.00", "standard")):
        body = {"name": name, "unit_price": price, "rate_class": rate}
        made[name] = ok(client.post("/v1/products", headers=shop.headers, json=body), 201)["id"]
    return made


@pytest.fixture
def paying(
    paying_app: Any,
    stripe_api: tuple[str, stripe_server.StripeStandIn],
    vies_api: tuple[str, vies_server.ViesStandIn],
) -> Iterator[Paying]:
    with TestClient(paying_app, base_url="http://testserver") as client:
        shop = sign_up(client)
        stored = client.put(
            "/v1/shop/secrets/stripe_secret_key",
            headers=shop.headers,
            json={"value": stripe_server.VALID_KEY},
        )
        assert stored.status_code == 204, stored.text
        yield Paying(
            client=client,
            shop=shop,
            stripe=stripe_api[1],
            vies=vies_api[1],
            products=add_products(client, shop),
            invoice=issued_invoice(client, shop),
        )
