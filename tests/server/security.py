"""What the security tests share: one shop's rows of every kind (made through the services, so
they exist whatever routes a branch has), a snapshot of every row a shop holds, API keys,
a superadmin, and the error shape every answer must have."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from invoicer.server.auth import services_for
from invoicer.services import checkout
from invoicer.services.accounts.views import Principal
from invoicer.services.commands import NewCheckout, NewCustomer, NewProduct, NewQuote, NewRecurring
from invoicer.services.commands.invoices import NewDraft, NewLine
from invoicer.services.commands.payments import NewCreditNote, RecordPayment
from tests.server.conftest import PASSWORD, Shop

SUPERADMIN = "platform@example.net"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


@dataclass
class Rows:
    """A shop's rows of every kind, by the path-parameter names routes use for them."""

    shop_id: str
    test_shop_id: str
    user_ids: list[str]
    ids: dict[str, list[str]] = field(default_factory=dict)


def admin_principal(app: Any, shop: Shop) -> Principal:
    return Principal("user", shop.user_id, shop.email, "admin", shop.shop_id, shop.shop_id, "live")


def make_rows(client: TestClient, shop: Shop) -> Rows:
    """A customer, a product, a draft with a line, an issued invoice with a payment and a
    credit note, an invited user and API keys of both modes, all in `shop`."""
    state = client.app.state.invoicer  # type: ignore[attr-defined]
    svc = services_for(state, admin_principal(client.app, shop))
    customer = svc.customers.add(
        NewCustomer(
            name="Jansen B.V.",
            country="NL",
            vat_number="NL000099998B57",
            street="Kalverstraat 2",
            postcode="1012 PC",
            city="Amsterdam",
        )
    )
    product = svc.products.add(NewProduct(name="Brood", unit_price="10.00"))
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    draft = svc.invoices.add_line(draft.id, NewLine(product_id=product.id, quantity="2"))
    issued = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    issued = svc.invoices.add_line(issued.id, NewLine(product_id=product.id, quantity="3"))
    issued = svc.invoices.issue(issued.id, vies_policy="warn")
    payment = svc.payments.add(issued.id, RecordPayment(amount="1.00"))
    credit = svc.credit_notes.create(issued.id, NewCreditNote())
    invited = client.post(
        "/v1/users", headers=shop.headers, json={"email": f"clerk.{shop.email}", "role": "user"}
    )
    assert invited.status_code == 201, invited.text
    live_key = create_key(client, shop, "live")
    test_key = create_key(client, shop, "test")
    invoices = [draft.id, issued.id, credit.id]
    quote = svc.quotes.create(NewQuote(customer_id=customer.id))
    quote = svc.quotes.add_line(quote.id, NewLine(product_id=product.id, quantity="2"))
    issued_quote = svc.quotes.create(NewQuote(customer_id=customer.id))
    svc.quotes.add_line(issued_quote.id, NewLine(product_id=product.id))
    issued_quote = svc.quotes.accept(svc.quotes.issue(issued_quote.id).id)
    basket = checkout.create(svc, NewCheckout(lines=[{"product_id": product.id}]))
    device_id, review_id = _sync_rows(svc, shop)
    user_ids = [shop.user_id, invited.json()["user"]["id"]]
    return Rows(
        shop_id=shop.shop_id,
        test_shop_id=state.accounts.test_shop_of(shop.shop_id),
        user_ids=user_ids,
        ids={
            "customer_id": [customer.id],
            "product_id": [product.id],
            "invoice_id": invoices,
            "draft_id": [draft.id],
            "credit_note_id": [credit.id],
            "line_id": [line.id for line in draft.lines],
            "payment_id": [payment.id],
            "user_id": user_ids,
            "key_id": [live_key["id"], test_key["id"]],
            "api_key_id": [live_key["id"], test_key["id"]],
            "shop_id": [shop.shop_id],
            "device_id": [device_id],
            "event_id": [review_id],
            "checkout_id": [basket.id],
            "quote_id": [quote.id, issued_quote.id],
            "template_id": [
                svc.recurring.create(
                    NewRecurring(
                        customer_id=customer.id,
                        frequency="monthly",
                        start_date="2026-01-31",
                        lines=[NewLine(product_id=product.id)],
                    )
                ).id
            ],
        },
    )


def _sync_rows(svc: Any, shop: Shop) -> tuple[str, str]:
    """A sync device, revoked, and the document it pushed afterwards (kept for review)."""
    import datetime as dt

    from invoicer.services.sync.protocol import event_to_wire
    from invoicer.services.sync.server_log import SyncLog
    from invoicer.store.audit import GENESIS, Writer, new_event

    log = SyncLog(svc.db, svc.ctx)
    made = log.register_device("Probe till", False, shop.email)
    device_id = made.device.device_id
    log.revoke(device_id, shop.email)
    device = log.authenticate(made.token, 2)
    at = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    event = new_event(
        Writer("probe", device_id, lambda: at), 1, GENESIS, "invoice.issue", "invoice", "x", {}
    )
    log.push(device, [event_to_wire(event)])
    return device_id, event.id


def create_key(client: TestClient, shop: Shop, mode: str = "live", **extra: Any) -> dict[str, Any]:
    made = client.post(
        "/v1/api-keys", headers=shop.headers, json={"name": f"{mode} key", "mode": mode, **extra}
    )
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


def key_headers(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def snapshot(client: TestClient, rows: Rows) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the shop (by shop id, by its users' ids,
    or the shop rows themselves), in a stable order: what another tenant must not change."""
    engine = client.app.state.invoicer.db.engine  # type: ignore[attr-defined]
    metadata = MetaData()
    metadata.reflect(bind=engine)
    tenants = [rows.shop_id, rows.test_shop_id]
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            columns = table.c
            if "shop_id" in columns:
                where = columns.shop_id.in_(tenants)
            elif "user_id" in columns:
                where = columns.user_id.in_(rows.user_ids)
            elif name == "shops":
                where = columns.id.in_(tenants)
            else:
                continue
            result = connection.execute(select(table).where(where)).all()
            found[name] = sorted((tuple(r) for r in result), key=repr)
    return found


def superadmin_headers(client: TestClient) -> dict[str, str]:
    accounts = client.app.state.invoicer.accounts  # type: ignore[attr-defined]
    accounts.create_superadmin(SUPERADMIN, PASSWORD)
    return sign_in_headers(client, SUPERADMIN)


def sign_in_headers(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post("/v1/auth/token", data={"username": email, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def events(client: TestClient, headers: dict[str, str], kind: str) -> list[dict[str, Any]]:
    answer = client.get("/v1/platform/events", headers=headers, params={"limit": 1000})
    assert answer.status_code == 200, answer.text
    return [e for e in answer.json()["data"] if e["kind"] == kind]


def assert_error_shape(response: Any, status: int | None = None) -> dict[str, Any]:
    """The one error object: {"error": {"type", "code", "message", "param"}}, no traceback."""
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"type", "code", "message", "param"} <= set(error), error
    assert isinstance(error["type"], str)
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    assert error["message"]
    assert error["param"] is None or isinstance(error["param"], str)
    assert not TRACEBACK.search(response.text), response.text
    return error  # type: ignore[no-any-return]
