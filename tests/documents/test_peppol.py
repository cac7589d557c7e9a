"""Peppol endpoints: the customer's and the shop's ids, checked when saved, frozen at issue,
derived from a VAT number where the country's scheme is the VAT number, and a Peppol export
that says what to fill in when a party has none."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from lxml import etree

from invoicer.domain.errors import ValidationError
from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    CustomerChanges,
    NewCustomer,
    NewDraft,
    NewLine,
    ShopProfileChanges,
)
from invoicer.services.documents import export

from .conftest import GOODS, SHOP, issue
from .validation import PEPPOL_XSLT, PEPPOL_XSLT_SHA256, assert_peppol_valid, assert_valid

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CONSUMER = {"name": "Jan Jansen", "country": "NL", "street": "Kerkstraat 1",
            "postcode": "1017 GA", "city": "Amsterdam", "email": "jan@example.nl"}  # fmt: skip


def endpoints(xml: bytes) -> list[tuple[str, str]]:
    root = etree.fromstring(xml)
    return [(e.get("schemeID"), e.text) for e in root.iter(f"{{{CBC}}}EndpointID")]


@pytest.fixture
def svc(tmp_path: Path) -> Services:
    services = open_services(tmp_path / "peppol.sqlite")
    services.shop.save(ShopProfileChanges(**SHOP))
    return services


def test_the_project_copy_of_the_peppol_rules_is_the_published_one() -> None:
    assert hashlib.sha256(PEPPOL_XSLT.read_bytes()).hexdigest() == PEPPOL_XSLT_SHA256


def test_a_buyer_without_an_id_is_refused_for_peppol_with_what_to_fill_in(svc: Services) -> None:
    invoice_id = issue(svc, CONSUMER, [GOODS])
    with pytest.raises(ValidationError) as error:
        export(svc, invoice_id, "ubl")
    message = error.value.problems[0].message
    assert "Jan Jansen has no Peppol id" in message
    assert "--peppol-id SCHEME:VALUE" in message
    assert "--format ubl-en16931" in message
    # The plain EN 16931 file stays possible, addressed by e-mail as EN 16931 allows.
    plain = export(svc, invoice_id, "ubl-en16931")
    assert_valid(plain)
    assert ("EM", "jan@example.nl") in endpoints(plain)


def test_the_id_is_frozen_at_issue(svc: Services) -> None:
    customer = svc.customers.add(NewCustomer(**CONSUMER, peppol_id="0088:8712345000004"))
    draft = svc.invoices.create_draft(NewDraft(customer_id=customer.id))
    svc.invoices.add_line(draft.id, NewLine(**GOODS))
    invoice_id = svc.invoices.issue(draft.id).id
    first = export(svc, invoice_id, "ubl")
    assert_peppol_valid(first)
    assert endpoints(first) == [("9944", "NL004495445B01"), ("0088", "8712345000004")]

    svc.customers.update(customer.id, CustomerChanges(peppol_id="0088:5390000000007"))
    assert export(svc, invoice_id, "ubl") == first


def test_an_id_added_after_issuing_is_where_the_invoice_is_delivered(svc: Services) -> None:
    invoice_id = issue(svc, CONSUMER, [GOODS])
    customer_id = svc.invoices.get(invoice_id).customer_id
    assert customer_id is not None
    svc.customers.update(customer_id, CustomerChanges(peppol_id="0088:8712345000004"))
    xml = export(svc, invoice_id, "ubl")
    assert_peppol_valid(xml)
    assert ("0088", "8712345000004") in endpoints(xml)


def test_the_shop_id_comes_before_its_vat_number(svc: Services) -> None:
    svc.shop.save(ShopProfileChanges(**SHOP, peppol_id="0106:12345678"))
    invoice_id = issue(svc, {**CONSUMER, "peppol_id": "0088:8712345000004"}, [GOODS])
    assert endpoints(export(svc, invoice_id, "ubl"))[0] == ("0106", "12345678")
