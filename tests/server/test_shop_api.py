"""The shop over the API: profile, settings, logo (checked by content, served inert, used by
the PDFs), the VAT quote and VIES checks against a SOAP stand-in on loopback."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

from invoicer.server.app import create_app
from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine
from invoicer.services.context import ServiceContext
from invoicer.services.settings import Settings
from invoicer.store.database import open_database
from tests.integrations import vies_server
from tests.server.conftest import PASSWORD, MovableClock, Shop, make_config, sign_up

QUOTE = {
    "seller": {"country": "NL", "vat_number": "NL000099998B57"},
    "buyer": {"country": "NL"},
    "date": "2026-03-01",
    "currency": "EUR",
    "lines": [{"description": "Bread", "quantity": "2", "unit_price": "10.00"}],
}


def image(kind: str, size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30">'
    b'<rect width="60" height="30" fill="#0a0"/><script>alert(1)</script></svg>'
)


def user_of(client: TestClient, admin: Shop, email: str = "clerk@example.com") -> dict[str, str]:
    """A `user`-role member of the admin's shop (invited, then accepted): its headers."""
    invited = client.post("/v1/users", headers=admin.headers, json={"email": email, "role": "user"})
    assert invited.status_code == 201, invited.text
    accepted = client.post(
        "/v1/auth/invitations/accept",
        json={"token": invited.json()["invitation_token"], "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    return {"Authorization": f"Bearer {accepted.json()['access_token']}"}


def shop_services(client: TestClient, shop: Shop) -> Services:
    state = client.app.state.invoicer  # type: ignore[attr-defined]
    ctx = ServiceContext(
        actor=shop.user_id,
        device_id="server",
        shop_id=shop.shop_id,
        clock=state.clock,
        settings=state.settings,
        secrets=state.secrets,
    )
    return Services(state.db, ctx)


def assert_error(response: Any, status: int, param: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"type", "code", "message", "param"}
    if param is not None:
        assert error["param"] == param
    return error


# --- profile and settings -----------------------------------------------------------------


def test_the_profile_is_read_by_members_and_changed_by_admins(
    client: TestClient, shop: Shop
) -> None:
    profile = client.get("/v1/shop", headers=shop.headers)
    assert profile.status_code == 200
    assert profile.json()["legal_name"] == "Bakkerij Test B.V."
    assert "logo_path" not in profile.json()
    changed = client.patch("/v1/shop", headers=shop.headers, json={"trading_name": "De Bakker"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["trading_name"] == "De Bakker"
    clerk = user_of(client, shop)
    assert client.get("/v1/shop", headers=clerk).json()["trading_name"] == "De Bakker"
    assert_error(client.patch("/v1/shop", headers=clerk, json={"trading_name": "X"}), 403)
    assert client.get("/v1/shop", headers=shop.headers).json()["trading_name"] == "De Bakker"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"logo_path": "/etc/passwd"}, "logo_path"),
        ({"no_such_field": 1}, "no_such_field"),
        ('{"payment_terms_days": 1e999}', "payment_terms_days"),
        ({"legal_name": "Bad\x00Name"}, "legal_name"),
        ({"eu_b2c_sales_outside_current_year": 0.1}, "eu_b2c_sales_outside_current_year"),
    ],
)
def test_odd_profile_changes_are_refused_and_change_nothing(
    client: TestClient, shop: Shop, body: dict[str, Any] | str, param: str
) -> None:
    before = client.get("/v1/shop", headers=shop.headers).json()
    raw = body if isinstance(body, str) else json.dumps(body)
    headers = {**shop.headers, "Content-Type": "application/json"}
    assert_error(client.patch("/v1/shop", headers=headers, content=raw), 422, param)
    assert client.get("/v1/shop", headers=shop.headers).json() == before


def test_the_shops_own_settings_only(client: TestClient, shop: Shop, other_shop: Shop) -> None:
    current = client.get("/v1/settings", headers=shop.headers)
    assert current.status_code == 200
    assert "vies_url" not in current.json()
    assert "db_path" not in current.json()
    changed = client.patch("/v1/settings", headers=shop.headers, json={"vies_max_age_days": 7})
    assert changed.status_code == 200, changed.text
    assert changed.json()["vies_max_age_days"] == 7
    assert client.get("/v1/settings", headers=shop.headers).json()["vies_max_age_days"] == 7
    assert client.get("/v1/settings", headers=other_shop.headers).json()["vies_max_age_days"] != 7
    for body in ({"vies_url": "http://169.254.169.254/"}, {"db_path": "/tmp/x"}):
        assert_error(client.patch("/v1/settings", headers=shop.headers, json=body), 422)
    assert_error(
        client.patch("/v1/settings", headers=shop.headers, json={"vies_max_age_days": "x\x00"}),
        422,
    )
    clerk = user_of(client, shop)
    assert client.get("/v1/settings", headers=clerk).status_code == 200
    assert_error(client.patch("/v1/settings", headers=clerk, json={"vies_max_age_days": 3}), 403)


# --- the logo -----------------------------------------------------------------------------


def test_a_png_logo_is_stored_and_served_back_inert(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    assert_error(client.get("/v1/shop/logo", headers=shop.headers), 404)
    put = client.put(
        "/v1/shop/logo",
        headers={**shop.headers, "Content-Type": "text/html"},  # ignored: the bytes decide
        content=image("PNG"),
    )
    assert put.status_code == 200, put.text
    assert put.json()["content_type"] == "image/png"
    served = client.get("/v1/shop/logo", headers=shop.headers)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'"
    assert served.headers["content-disposition"].startswith("inline")
    assert Image.open(io.BytesIO(served.content)).format == "PNG"
    assert_error(client.get("/v1/shop/logo", headers=other_shop.headers), 404)
    assert client.delete("/v1/shop/logo", headers=shop.headers).status_code == 204
    assert_error(client.get("/v1/shop/logo", headers=shop.headers), 404)
    assert_error(client.delete("/v1/shop/logo", headers=shop.headers), 404)


def test_a_jpeg_in_a_form_and_an_svg_as_png(client: TestClient, shop: Shop) -> None:
    posted = client.post(
        "/v1/shop/logo",
        headers=shop.headers,
        files={"file": ("logo.png", image("JPEG"), "image/png")},
    )
    assert posted.status_code == 200, posted.text
    assert client.get("/v1/shop/logo", headers=shop.headers).headers["content-type"] == (
        "image/jpeg"
    )
    svg = client.put("/v1/shop/logo", headers=shop.headers, content=SVG)
    assert svg.status_code == 200, svg.text
    served = client.get("/v1/shop/logo", headers=shop.headers)
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).format == "PNG"
    assert b"<script" not in served.content


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        image("GIF"),
        image("PNG") + b"\x00" * 600_000,  # over the 512 KiB cap
        b"",
    ],
    ids=["html", "gif", "oversize", "empty"],
)
def test_other_files_are_refused_and_nothing_is_stored(
    client: TestClient, shop: Shop, data: bytes
) -> None:
    assert_error(client.put("/v1/shop/logo", headers=shop.headers, content=data), 422, "logo")
    assert_error(client.get("/v1/shop/logo", headers=shop.headers), 404)


def test_only_admins_change_the_logo(client: TestClient, shop: Shop) -> None:
    clerk = user_of(client, shop)
    assert_error(client.put("/v1/shop/logo", headers=clerk, content=image("PNG")), 403)
    assert_error(client.delete("/v1/shop/logo", headers=clerk), 403)
    assert_error(client.get("/v1/shop/logo", headers=clerk), 404)  # nothing was stored


def _issued_pdf(svc: Services) -> bytes:
    customer = svc.customers.add(
        NewCustomer(
            name="Jan", country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer))
    svc.invoices.add_line(draft.id, NewLine(description="Bread", unit_price="10.00"))
    return svc.documents.render_pdf(svc.invoices.issue(draft.id).id).pdf


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdfs_of_a_shop_with_a_logo_show_it_and_never_read_a_path(
    client: TestClient, shop: Shop, tmp_path: Any
) -> None:
    svc = shop_services(client, shop)
    plain = _images(_issued_pdf(svc))  # the payment QR code, when the shop has an IBAN
    on_disk = tmp_path / "secret.png"
    on_disk.write_bytes(image("PNG"))
    from invoicer.services.commands import ShopProfileChanges

    svc.shop.save(ShopProfileChanges(logo_path=str(on_disk)))  # as an old import might have
    assert _images(_issued_pdf(svc)) == plain  # a server shop never reads a file path
    put = client.put("/v1/shop/logo", headers=shop.headers, content=image("PNG"))
    assert put.status_code == 200
    assert _images(_issued_pdf(svc)) == plain + 1


# --- VAT ----------------------------------------------------------------------------------


def test_a_vat_quote_is_the_engines(client: TestClient, shop: Shop) -> None:
    from invoicer.services.vat_quotes import quote_document

    quoted = client.post("/v1/vat/quote", headers=shop.headers, json=QUOTE)
    assert quoted.status_code == 200, quoted.text
    assert quoted.json() == {"object": "vat_quote", **quote_document(json.dumps(QUOTE))}
    assert_error(client.post("/v1/vat/quote", json=QUOTE), 401)


@pytest.mark.parametrize(
    "body",
    [
        '{"seller": {"country": "NL"}, "buyer": {"country": "NL"}, "date": "2026-03-01", '
        '"currency": "EUR", "lines": [{"quantity": 1e999, "unit_price": "1"}]}',
        '{"seller": {"country": "NL\\u0000"}, "buyer": {"country": "NL"}, "date": "2026-03-01",'
        ' "currency": "EUR", "lines": []}',
        '{"seller": {}, "nope": 1}',
        "[1, 2]",
        "not json",
    ],
)
def test_odd_quote_documents_are_refused(client: TestClient, shop: Shop, body: str) -> None:
    response = client.post(
        "/v1/vat/quote",
        headers={**shop.headers, "Content-Type": "application/json"},
        content=body.encode(),
    )
    assert_error(response, 422)


@pytest.fixture
def vies_client(server_db: str, clock: MovableClock) -> Iterator[tuple[TestClient, Any]]:
    """The app with VIES at a SOAP stand-in on loopback."""
    with vies_server.running() as (url, stand_in):
        config = make_config(server_db)
        db = open_database(config.database)
        settings = Settings(vies_url=url, vies_retries=0, vies_timeout_seconds=5)
        app = create_app(config, db=db, clock=clock, settings=settings)
        try:
            with TestClient(app, base_url="http://testserver") as test_client:
                yield test_client, stand_in
        finally:
            db.close()


def test_vies_checks_a_number_and_a_customer(vies_client: tuple[TestClient, Any]) -> None:
    client, stand_in = vies_client
    shop, rival = sign_up(client), sign_up(client, "rival@example.org")
    checked = client.post(
        "/v1/vies/check", headers=shop.headers, json={"vat_number": "DE136695976"}
    )
    assert checked.status_code == 200, checked.text
    assert checked.json()["valid"] is True
    assert checked.json()["country_code"] == "DE"
    assert stand_in.requests[-1]["vatNumber"] == "136695976"
    customer = client.post(
        "/v1/customers",
        headers=shop.headers,
        json={"name": "Müller GmbH", "country": "DE", "vat_number": "DE136695976"},
    ).json()
    asked = len(stand_in.requests)
    assert_error(
        client.post(f"/v1/customers/{customer['id']}/vies-check", headers=rival.headers), 404
    )
    assert len(stand_in.requests) == asked  # another shop's customer: VIES never asked
    proof = client.post(f"/v1/customers/{customer['id']}/vies-check", headers=shop.headers)
    assert proof.status_code == 200, proof.text
    assert proof.json()["customer"]["vies_valid"] is True
    assert proof.json()["request_id"]
    stored = client.get(f"/v1/customers/{customer['id']}", headers=shop.headers).json()
    assert stored["vies_valid"] is True
    stand_in.fail_first.append("MS_UNAVAILABLE")
    assert (
        assert_error(
            client.post("/v1/vies/check", headers=shop.headers, json={"vat_number": "DE136695976"}),
            503,
        )["type"]
        == "unavailable"
    )
    for body in ({"vat_number": 12}, {"vat_number": "DE1\x00"}, {"number": "DE136695976"}):
        assert_error(client.post("/v1/vies/check", headers=shop.headers, json=body), 422)


def test_a_logo_upload_honours_its_idempotency_key(client: TestClient, shop: Shop) -> None:
    """(A retry sends the same bytes; a multipart form made anew has a new boundary, so it is
    another body to the idempotency layer.)"""
    headers = {**shop.headers, "Idempotency-Key": "logo-1"}
    first = client.post("/v1/shop/logo", headers=headers, content=image("PNG"))
    again = client.post("/v1/shop/logo", headers=headers, content=image("PNG"))
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    other = client.post("/v1/shop/logo", headers=headers, content=image("JPEG"))
    assert_error(other, 409)
    assert client.get("/v1/shop/logo", headers=shop.headers).headers["content-type"] == "image/png"
