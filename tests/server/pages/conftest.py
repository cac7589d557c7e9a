"""A live shop for the browser tests: the real server on a loopback port (SQLite file), the
Stripe stand-in and the VIES stand-in beside it, a shop signed up through the API with its
Stripe key in the server's secret store (the test keyring), and helpers to make invoices,
products and checkout sessions the way a web store would: over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from tests.integrations import vies_server
from tests.keyrings import MemoryKeyring
from tests.payments import stripe_server
from tests.server.conftest import PASSWORD, PROFILE
from tests.server.pages.live import LiveApp, serving
from tests.sync_ui_server import OwnSecrets

CUSTOMER = {
    "name": "Jansen & Zn.",
    "email": "jansen@example.nl",
    "street": "Kerkstraat 12",
    "postcode": "1017 GA",
    "city": "Amsterdam",
    "country": "NL",
}
HOOK_SECRET = "whsec_live_shop_" + "h" * 24
BREAD = {"description": "Sourdough bread", "quantity": "2", "unit_price": "12.50"}


@dataclass
class LiveShop:
    server: LiveApp
    stripe: Any  # the StripeStandIn
    stripe_url: str
    shop_id: str
    headers: dict[str, str]

    def call(self, method: str, path: str, status: int, **kw: Any) -> Any:
        answer = httpx.request(
            method, f"{self.server.url}{path}", headers=self.headers, timeout=30, **kw
        )
        assert answer.status_code == status, answer.text
        return answer.json() if answer.content else None

    def issued_invoice(
        self, *lines: dict[str, Any], customer: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        made = self.call("POST", "/v1/customers", 201, json=customer or CUSTOMER)
        draft = self.call("POST", "/v1/invoices", 201, json={"customer_id": made["id"]})
        for line in lines or (BREAD,):
            self.call("POST", f"/v1/invoices/{draft['id']}/lines", 201, json=line)
        return self.call("POST", f"/v1/invoices/{draft['id']}/issue", 200)  # type: ignore[no-any-return]

    def product(self, **fields: Any) -> str:
        return str(self.call("POST", "/v1/products", 201, json=fields)["id"])

    def session(self, **body: Any) -> dict[str, Any]:
        return self.call("POST", "/v1/checkout/sessions", 201, json=body)  # type: ignore[no-any-return]


@pytest.fixture
def live_shop(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[LiveShop]:
    with (
        stripe_server.running(hosted_page=True) as (stripe_url, stripe),
        vies_server.running() as (vies_url, _vies),
    ):
        settings = Settings(
            stripe_api_base=stripe_url, vies_url=vies_url, vies_retries=0, vies_timeout_seconds=5
        )
        with serving(tmp_path / "server.sqlite", settings) as server:
            signed = httpx.post(
                f"{server.url}/v1/auth/signup",
                json={"email": "owner@example.com", "password": PASSWORD, "shop": PROFILE},
                timeout=30,
            )
            assert signed.status_code == 201, signed.text
            body = signed.json()
            shop = LiveShop(
                server,
                stripe,
                stripe_url,
                body["user"]["shop_id"],
                {"Authorization": f"Bearer {body['access_token']}"},
            )
            shop.call(
                "PUT",
                "/v1/shop/secrets/stripe_secret_key",
                204,
                json={"value": stripe_server.VALID_KEY},
            )
            shop.call(
                "PUT", "/v1/shop/secrets/stripe_webhook_secret", 204, json={"value": HOOK_SECRET}
            )
            # Stripe's dashboard setting: where this shop's events go.
            stripe.webhooks.append(
                (f"{server.url}/v1/webhooks/stripe?shop={shop.shop_id}", HOOK_SECRET)
            )
            yield shop


@pytest.fixture
def laptop(tmp_path: Path, live_shop: LiveShop) -> Iterator[Services]:
    ctx = ServiceContext.local(secrets=OwnSecrets())
    with open_services(tmp_path / "laptop.sqlite", ctx=ctx) as svc:
        svc.shop.save(ShopProfileChanges(**PROFILE, currency="EUR"))
        report = svc.sync.setup(
            live_shop.server.url, name="Shop laptop", email="owner@example.com", password=PASSWORD
        )
        assert report.status.state == "synced", report.status
        yield svc
