"""Invoices over the API: drafts and lines under If-Match, issuing and its numbering, the list,
the documents (PDF, UBL, CII, Factur-X), payments and credit notes; strict bodies, idempotent
POSTs and another shop's ids, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from invoicer.server.routes import invoice_documents, invoices, payments
from tests.server.conftest import Shop

CUSTOMER = {
    "name": "Jansen & Zn. B.V.",
    "country": "NL",
    "street": "Kerkstraat 12",
    "postcode": "1017 GA",
    "city": "Amsterdam",
    "peppol_id": "0106:12345678",
}
BREAD = {"description": "Sourdough bread", "quantity": "2", "unit_price": "12.50"}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def _customer(client: TestClient, shop: Shop) -> str:
    return str(_ok(client.post("/v1/customers", headers=shop.headers, json=CUSTOMER), 201)["id"])


def _draft(client: TestClient, shop: Shop, customer_id: str, *lines: dict[str, Any]) -> Any:
    made = _ok(
        client.post("/v1/invoices", headers=shop.headers, json={"customer_id": customer_id}), 201
    )
    for line in lines:
        made = _ok(
            client.post(f"/v1/invoices/{made['id']}/lines", headers=shop.headers, json=line), 201
        )
    return made


def _issued(client: TestClient, shop: Shop, customer_id: str) -> dict[str, Any]:
    draft = _draft(client, shop, customer_id, BREAD)
    return _ok(client.post(f"/v1/invoices/{draft['id']}/issue", headers=shop.headers))


def _error(response: Any, status: int, type_: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == type_
    assert error["code"]
    assert error["message"]
    assert "param" in error
    return error  # type: ignore[no-any-return]


def _seq(number: str) -> tuple[str, int]:
    prefix, digits = re.fullmatch(r"(.*?)(\d+)", number).groups()  # type: ignore[union-attr]
    return prefix, int(digits)


def test_create_lines_issue_pay_and_fetch_the_documents(client: TestClient, shop: Shop) -> None:
    customer_id = _customer(client, shop)
    draft = _draft(client, shop, customer_id, BREAD, {**BREAD, "quantity": "1"})
    assert draft["object"] == "invoice"
    assert draft["status"] == "draft"
    assert draft["number"] is None
    assert [line["quantity"] for line in draft["lines"]] == ["2", "1"]
    issued = _ok(client.post(f"/v1/invoices/{draft['id']}/issue", headers=shop.headers))
    number, gross = issued["number"], issued["gross"]
    assert number
    assert issued["status"] == "open"
    assert issued["currency"] == "EUR"
    # integer minor units that add up, never a float or a decimal string
    assert all(type(issued[name]) is int for name in ("net", "vat", "gross", "balance"))
    assert issued["net"] + issued["vat"] == gross == issued["balance"]
    assert sum(line["net"] for line in issued["lines"]) == issued["net"]
    assert sum(group["tax"] for group in issued["vat_groups"]) == issued["vat"]
    assert client.get(f"/v1/invoices/{number}", headers=shop.headers).json()["id"] == draft["id"]

    part = _ok(
        client.post(
            f"/v1/invoices/{draft['id']}/payments", headers=shop.headers, json={"amount": "10.00"}
        ),
        201,
    )
    assert part["object"] == "payment"
    assert part["amount"] == 1000
    assert part["currency"] == "EUR"
    rest = str(Decimal(gross - 1000).scaleb(-2))
    client.post(f"/v1/invoices/{draft['id']}/payments", headers=shop.headers, json={"amount": rest})
    paid = client.get(f"/v1/invoices/{draft['id']}", headers=shop.headers).json()
    assert paid["status"] == "paid"
    assert paid["paid"] == gross
    assert paid["balance"] == 0
    listed = _ok(client.get(f"/v1/invoices/{draft['id']}/payments", headers=shop.headers))
    assert [p["amount"] for p in listed["data"]] == [1000, gross - 1000]
    assert {p["object"] for p in listed["data"]} == {"payment"}

    pdf = client.get(f"/v1/invoices/{draft['id']}/pdf", headers=shop.headers)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert number in pdf.headers["content-disposition"]
    assert pdf.headers["content-disposition"].startswith("attachment")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert number in text
    again = client.get(f"/v1/invoices/{draft['id']}/pdf", headers=shop.headers)
    assert again.content == pdf.content  # the file first issued, every time

    ubl = client.get(f"/v1/invoices/{draft['id']}/ubl", headers=shop.headers)
    assert ubl.status_code == 200, ubl.text
    assert ubl.headers["content-type"].startswith("application/xml")
    assert number in ubl.headers["content-disposition"]
    root = ET.fromstring(ubl.content)
    cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    assert root.find(f"{cbc}ID").text == number  # type: ignore[union-attr]
    plain_ubl = client.get(f"/v1/invoices/{draft['id']}/ubl?peppol=false", headers=shop.headers)
    assert ET.fromstring(plain_ubl.content).find(f"{cbc}ID").text == number  # type: ignore[union-attr]
    cii = client.get(f"/v1/invoices/{draft['id']}/cii", headers=shop.headers)
    assert cii.status_code == 200
    assert number in "".join(ET.fromstring(cii.content).itertext())
    facturx = client.get(f"/v1/invoices/{draft['id']}/facturx", headers=shop.headers)
    assert facturx.status_code == 200
    assert facturx.content.startswith(b"%PDF")
    assert pypdf.PdfReader(io.BytesIO(facturx.content)).attachments  # the CII inside


def test_documents_of_a_draft_are_refused(client: TestClient, shop: Shop) -> None:
    draft = _draft(client, shop, _customer(client, shop), BREAD)
    for kind in ("pdf", "ubl", "cii", "facturx"):
        _error(
            client.get(f"/v1/invoices/{draft['id']}/{kind}", headers=shop.headers), 409, "conflict"
        )


def test_numbering_is_gap_free_over_several_issues(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    customer_id = _customer(client, shop)
    numbers = [_issued(client, shop, customer_id)["number"]]
    empty = _draft(client, shop, customer_id)  # a refused issue takes no number
    assert client.post(f"/v1/invoices/{empty['id']}/issue", headers=shop.headers).status_code >= 400
    numbers += [_issued(client, shop, customer_id)["number"] for _ in range(3)]
    prefix, first = _seq(numbers[0])
    assert [_seq(n) for n in numbers] == [(prefix, first + i) for i in range(4)]
    # the other shop counts on its own: its first invoice is not after ours
    theirs = _issued(client, other_shop, _customer(client, other_shop))["number"]
    assert _seq(theirs)[1] == first


def test_an_issued_invoice_cannot_be_edited(client: TestClient, shop: Shop) -> None:
    issued = _issued(client, shop, _customer(client, shop))
    url = f"/v1/invoices/{issued['id']}"
    before = client.get(url, headers=shop.headers)
    line_url = f"{url}/lines/{issued['lines'][0]['id']}"
    for response in (
        client.patch(url, headers=shop.headers, json={"notes": "changed"}),
        client.delete(url, headers=shop.headers),
        client.post(f"{url}/lines", headers=shop.headers, json=BREAD),
        client.patch(line_url, headers=shop.headers, json={"quantity": "5"}),
        client.delete(line_url, headers=shop.headers),
        client.post(f"{url}/issue", headers=shop.headers),
    ):
        _error(response, 409, "conflict")
    after = client.get(url, headers=shop.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


def test_if_match_guards_every_draft_edit(client: TestClient, shop: Shop) -> None:
    draft = _draft(client, shop, _customer(client, shop), BREAD)
    url = f"/v1/invoices/{draft['id']}"
    seen = client.get(url, headers=shop.headers)
    etag = seen.headers["etag"]
    # the current ETag lets an edit through, and the answer carries the new one
    changed = client.patch(url, headers={**shop.headers, "If-Match": etag}, json={"notes": "a"})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert client.get(url, headers=shop.headers).headers["etag"] == changed.headers["etag"]
    current = client.get(url, headers=shop.headers).json()
    stale = {**shop.headers, "If-Match": etag}
    line_url = f"{url}/lines/{draft['lines'][0]['id']}"
    for response in (
        client.patch(url, headers=stale, json={"notes": "b"}),
        client.delete(url, headers=stale),
        client.post(f"{url}/lines", headers=stale, json=BREAD),
        client.patch(line_url, headers=stale, json={"quantity": "7"}),
        client.delete(line_url, headers=stale),
        client.post(f"{url}/issue", headers=stale),
    ):
        error = _error(response, 412, "conflict")
        assert error["code"] == "precondition_failed"
    assert client.get(url, headers=shop.headers).json() == current
    # without If-Match the edit goes on; "*" matches any version
    assert client.patch(url, headers=shop.headers, json={"notes": "c"}).status_code == 200
    star = {**shop.headers, "If-Match": "*"}
    assert client.delete(url, headers=star).json() == {
        "object": "invoice",
        "id": draft["id"],
        "deleted": True,
    }
    assert client.get(url, headers=shop.headers).status_code == 404


@pytest.mark.parametrize(
    "raw", [b"false", b"1.5", b"1e999", b"true", b'{"v": "1"}'], ids=lambda r: r.decode()
)
def test_a_json_number_or_boolean_is_not_a_quantity_or_amount(
    client: TestClient, shop: Shop, raw: bytes
) -> None:
    customer_id = _customer(client, shop)
    draft = _draft(client, shop, customer_id, BREAD)
    issued = _issued(client, shop, customer_id)
    json_headers = {**shop.headers, "Content-Type": "application/json"}
    attempts = [
        (
            f"/v1/invoices/{draft['id']}/lines",
            b'{"description": "x", "unit_price": "1", "quantity": ' + raw + b"}",
            "quantity",
        ),
        (
            f"/v1/invoices/{draft['id']}/lines",
            b'{"description": "x", "unit_price": ' + raw + b"}",
            "unit_price",
        ),
        (f"/v1/invoices/{issued['id']}/payments", b'{"amount": ' + raw + b"}", "amount"),
    ]
    for url, body, param in attempts:
        error = _error(client.post(url, headers=json_headers, content=body), 422, "validation")
        assert error["param"] == param
    patched = client.patch(
        f"/v1/invoices/{draft['id']}/lines/{draft['lines'][0]['id']}",
        headers=json_headers,
        content=b'{"quantity": ' + raw + b"}",
    )
    assert _error(patched, 422, "validation")["param"] == "quantity"
    assert client.get(f"/v1/invoices/{draft['id']}", headers=shop.headers).json() == draft
    assert (
        client.get(f"/v1/invoices/{issued['id']}/payments", headers=shop.headers).json()["data"]
        == []
    )


def test_unknown_fields_are_refused_and_nothing_is_written(client: TestClient, shop: Shop) -> None:
    customer_id = _customer(client, shop)
    made = client.post(
        "/v1/invoices", headers=shop.headers, json={"customer_id": customer_id, "total": "1"}
    )
    error = _error(made, 422, "validation")
    assert error["code"] == "unknown_field"
    assert error["param"] == "total"
    assert client.get("/v1/invoices", headers=shop.headers).json()["data"] == []
    draft = _draft(client, shop, customer_id, BREAD)
    url = f"/v1/invoices/{draft['id']}"
    for response in (
        client.patch(url, headers=shop.headers, json={"number": "INV-1"}),
        client.post(f"{url}/lines", headers=shop.headers, json={**BREAD, "vat": "21"}),
        client.patch(
            f"{url}/lines/{draft['lines'][0]['id']}", headers=shop.headers, json={"net": "1"}
        ),
    ):
        assert _error(response, 422, "validation")["code"] == "unknown_field"
    assert client.get(url, headers=shop.headers).json() == draft


def _route_table() -> list[tuple[str, str]]:
    """Every method and path of the invoice modules that takes an invoice id."""
    found = []
    for module in (invoices, invoice_documents, payments):
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            if "{invoice_id}" in route.path:
                found += [(method, route.path) for method in route.methods or ()]
    return found


BODIES = {
    ("PATCH", "/v1/invoices/{invoice_id}"): {"notes": "theirs"},
    ("POST", "/v1/invoices/{invoice_id}/lines"): BREAD,
    ("PATCH", "/v1/invoices/{invoice_id}/lines/{line_id}"): {"quantity": "9"},
    ("POST", "/v1/invoices/{invoice_id}/payments"): {"amount": "1.00"},
    ("POST", "/v1/invoices/{invoice_id}/credit-notes"): {},
}


def test_another_shops_invoice_is_not_found_on_every_route(
    client: TestClient, shop: Shop, other_shop: Shop
) -> None:
    customer_id = _customer(client, shop)
    draft = _draft(client, shop, customer_id, BREAD)
    issued = _issued(client, shop, customer_id)
    before = {
        i: client.get(f"/v1/invoices/{i}", headers=shop.headers).json()
        for i in (draft["id"], issued["id"])
    }
    table = _route_table()
    assert len(table) >= 14  # a new route is covered by being in the table
    for target in (draft, issued):
        for method, path in table:
            url = path.format(invoice_id=target["id"], line_id=target["lines"][0]["id"])
            body = BODIES.get((method, path))
            response = client.request(method, url, headers=other_shop.headers, json=body)
            _error(response, 404, "not_found")
            by_number = url.replace(target["id"], target["number"] or target["id"])
            response = client.request(method, by_number, headers=other_shop.headers, json=body)
            _error(response, 404, "not_found")
    for invoice_id, seen in before.items():
        assert client.get(f"/v1/invoices/{invoice_id}", headers=shop.headers).json() == seen
    assert client.get("/v1/invoices", headers=other_shop.headers).json()["data"] == []
    assert (
        client.get(f"/v1/invoices/{issued['id']}/payments", headers=shop.headers).json()["data"]
        == []
    )


def test_an_idempotency_key_gives_the_same_answer_and_one_row(
    client: TestClient, shop: Shop
) -> None:
    customer_id = _customer(client, shop)
    keyed = {**shop.headers, "Idempotency-Key": "draft-1"}
    first = client.post("/v1/invoices", headers=keyed, json={"customer_id": customer_id})
    second = client.post("/v1/invoices", headers=keyed, json={"customer_id": customer_id})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert client.get("/v1/invoices", headers=shop.headers).json()["total"] == 1
    other = client.post(
        "/v1/invoices", headers=keyed, json={"customer_id": customer_id, "notes": "x"}
    )
    _error(other, 409, "conflict")
    assert client.get("/v1/invoices", headers=shop.headers).json()["total"] == 1

    issued = _issued(client, shop, customer_id)
    pay = {**shop.headers, "Idempotency-Key": "pay-1"}
    url = f"/v1/invoices/{issued['id']}/payments"
    answers = [client.post(url, headers=pay, json={"amount": "5.00"}) for _ in range(2)]
    assert answers[0].json() == answers[1].json()
    assert answers[0].status_code == 201
    assert len(client.get(url, headers=shop.headers).json()["data"]) == 1


def test_credit_notes_in_full_and_per_line(client: TestClient, shop: Shop) -> None:
    customer_id = _customer(client, shop)
    whole = _issued(client, shop, customer_id)
    note = _ok(
        client.post(
            f"/v1/invoices/{whole['id']}/credit-notes",
            headers=shop.headers,
            json={"reason": "Returned"},
        ),
        201,
    )
    assert note["object"] == "credit_note"
    assert note["kind"] == "credit_note"
    assert note["number"]
    assert note["credited_invoice_id"] == whole["id"]
    assert abs(note["gross"]) == whole["gross"]
    assert (
        client.get(f"/v1/invoices/{whole['id']}", headers=shop.headers).json()["status"]
        == "credited"
    )
    _error(
        client.post(f"/v1/invoices/{whole['id']}/credit-notes", headers=shop.headers, json={}),
        409,
        "conflict",
    )

    part = _issued(client, shop, customer_id)
    line_id = part["lines"][0]["id"]
    url = f"/v1/invoices/{part['id']}/credit-notes"
    one = _ok(client.post(url, headers=shop.headers, json={"lines": {line_id: "1"}}), 201)
    assert [line["credited_line_id"] for line in one["lines"]] == [line_id]
    assert abs(one["net"]) * 2 == part["net"]  # one of two units (VAT rounds per document)
    _error(
        client.post(url, headers=shop.headers, json={"lines": {line_id: 1.5}}), 422, "validation"
    )
    _error(client.post(url, headers=shop.headers, json={"lines": {line_id: "5"}}), 409, "conflict")
    kinds = client.get("/v1/invoices?kind=credit_note", headers=shop.headers).json()
    assert {item["id"] for item in kinds["data"]} == {note["id"], one["id"]}


def test_list_filters_and_cursor(client: TestClient, shop: Shop) -> None:
    customer_id = _customer(client, shop)
    other_customer = _ok(
        client.post("/v1/customers", headers=shop.headers, json={**CUSTOMER, "name": "Smit"}), 201
    )["id"]
    issued = [_issued(client, shop, customer_id) for _ in range(3)]
    drafts = [_draft(client, shop, other_customer, BREAD) for _ in range(2)]
    seen: list[str] = []
    cursor = None
    while True:
        query = "/v1/invoices?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = _ok(client.get(query, headers=shop.headers))
        assert page["object"] == "list"
        assert len(page["data"]) <= 2
        assert all(type(item["gross"]) is int for item in page["data"])
        seen += [item["id"] for item in page["data"]]
        cursor = page["next_cursor"]
        assert page["has_more"] == (cursor is not None)
        if cursor is None:
            break
    assert sorted(seen) == sorted(i["id"] for i in issued + drafts)

    def ids(query: str) -> set[str]:
        return {
            i["id"] for i in _ok(client.get(f"/v1/invoices?{query}", headers=shop.headers))["data"]
        }

    assert ids("status=draft") == {d["id"] for d in drafts}
    assert ids(f"customer_id={other_customer}") == {d["id"] for d in drafts}
    assert ids(f"search={issued[1]['number']}") == {issued[1]["id"]}
    day = issued[0]["issue_date"]
    assert ids(f"date_from={day}&date_to={day}") == {i["id"] for i in issued}
    assert ids("date_from=2999-01-01") == set()
    _error(client.get("/v1/invoices?cursor=bogus", headers=shop.headers), 422, "validation")
    _error(client.get("/v1/invoices?status=lost", headers=shop.headers), 422, "validation")
    _error(client.get("/v1/invoices?date_from=yesterday", headers=shop.headers), 422, "validation")
