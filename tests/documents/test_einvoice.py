"""Generated UBL and CII pass the XSD and the EN 16931 schematron for every VAT case, and the
UBL also the Peppol BIS Billing 3.0 rules an access point applies before delivery."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from invoicer.services.app import Services
from invoicer.services.documents import document, export

from .validation import assert_peppol_valid, assert_valid

CASES = ["S", "Z", "E", "AE", "K", "G", "O", "USD", "CN"]
UBL = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
       "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_ubl_is_valid_for_peppol(cases: tuple[Services, dict[str, str]], case: str) -> None:
    svc, ids = cases
    assert_peppol_valid(export(svc, ids[case], "ubl"))


@pytest.mark.parametrize("case", CASES)
def test_plain_en16931_ubl_is_valid(cases: tuple[Services, dict[str, str]], case: str) -> None:
    svc, ids = cases
    assert_valid(export(svc, ids[case], "ubl-en16931"))


@pytest.mark.parametrize("case", CASES)
def test_cii_is_valid(cases: tuple[Services, dict[str, str]], case: str) -> None:
    svc, ids = cases
    assert_valid(export(svc, ids[case], "cii"))


def test_category_o_carries_no_vat_identifiers(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    root = etree.fromstring(export(svc, ids["O"], "ubl"))
    assert root.findall(".//cac:PartyTaxScheme", UBL) == []  # BR-O-02
    assert root.findtext(".//cac:TaxCategory/cbc:ID", namespaces=UBL) == "O"
    assert root.find(".//cac:TaxCategory/cbc:Percent", UBL) is None


def test_intra_community_supply_has_delivery_date_and_country(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    root = etree.fromstring(export(svc, ids["K"], "ubl"))
    assert root.findtext(".//cac:Delivery/cbc:ActualDeliveryDate", namespaces=UBL) == "2026-03-16"
    assert root.findtext(".//cac:DeliveryLocation//cbc:IdentificationCode",
                         namespaces=UBL) == "GR"  # fmt: skip
    assert root.findtext(".//cbc:TaxExemptionReasonCode", namespaces=UBL) == "VATEX-EU-IC"
    assert root.find(".//cbc:PrepaidAmount", UBL) is None  # paid since issue: not in it
    assert root.findtext(".//cbc:PayableAmount", namespaces=UBL) == "128.00"


def test_foreign_currency_states_vat_in_euro(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    root = etree.fromstring(export(svc, ids["USD"], "ubl"))
    assert root.findtext("cbc:TaxCurrencyCode", namespaces=UBL) == "EUR"
    totals = root.findall("cac:TaxTotal/cbc:TaxAmount", UBL)
    assert [(t.get("currencyID"), t.text) for t in totals] == [("USD", "26.88"), ("EUR", "24.73")]


def test_credit_note_references_the_invoice(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    root = etree.fromstring(export(svc, ids["CN"], "ubl"))
    assert etree.QName(root).localname == "CreditNote"
    original = svc.invoices.get(ids["CREDITED"]).number
    assert root.findtext(".//cac:BillingReference//cbc:ID", namespaces=UBL) == original
    assert Decimal(root.findtext(".//cbc:PayableAmount", namespaces=UBL) or "0") > 0


def test_unknown_format_is_refused(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    from invoicer.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="ubl, ubl-en16931, cii or facturx"):
        export(svc, ids["S"], "pdf")


def test_facturx_embeds_the_cii(cases: tuple[Services, dict[str, str]]) -> None:
    from facturx import get_xml_from_pdf

    svc, ids = cases
    pdf = export(svc, ids["AE"], "facturx")
    filename, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == export(svc, ids["AE"], "cii")
    assert document(svc, ids["AE"]).language == "de"
