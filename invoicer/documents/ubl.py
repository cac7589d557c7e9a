"""UBL 2.1 invoices and credit notes per Peppol BIS Billing 3.0 (EN 16931)."""

from __future__ import annotations

from typing import Any

from invoicer.documents.model import InvoiceDocument, Party, VatCategory
from invoicer.documents.xmlbuild import Builder, amount, decimal
from invoicer.domain.payments.reference import rf_reference

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EN16931 = "urn:cen.eu:en16931:2017"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    False: ("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
    True: ("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"),
}


def to_ubl(doc: InvoiceDocument, *, peppol: bool = True) -> bytes:
    """Peppol BIS Billing 3.0 UBL (`peppol`, the caller has checked both endpoints), or plain
    EN 16931 UBL, which may address a party by e-mail (scheme EM, not allowed in Peppol)."""
    credit = doc.is_credit_note
    root_name, root_ns = ROOTS[credit]
    b = Builder({"ubl": root_ns, "cac": CAC, "cbc": CBC})
    root = b.root(f"ubl:{root_name}")
    cur = doc.currency
    b.add(root, "cbc:CustomizationID", CUSTOMIZATION if peppol else EN16931)
    if peppol:
        b.add(root, "cbc:ProfileID", PROFILE)
    b.add(root, "cbc:ID", doc.number)
    b.add(root, "cbc:IssueDate", doc.issue_date.isoformat())
    if not credit and doc.due_date:
        b.add(root, "cbc:DueDate", doc.due_date.isoformat())
    b.add(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        "381" if credit else "380",
    )
    for note in doc.notes:
        b.add(root, "cbc:Note", note)
    b.add(root, "cbc:DocumentCurrencyCode", cur)
    b.opt(root, "cbc:TaxCurrencyCode", doc.accounting_currency)
    # Peppol R003: a buyer reference or an order reference; the number serves when none.
    b.add(root, "cbc:BuyerReference", doc.buyer_reference or doc.number)
    if doc.supply_period:
        period = b.add(root, "cac:InvoicePeriod")
        b.add(period, "cbc:StartDate", doc.supply_period[0].isoformat())
        b.add(period, "cbc:EndDate", doc.supply_period[1].isoformat())
    if doc.order_reference:
        b.add(b.add(root, "cac:OrderReference"), "cbc:ID", doc.order_reference)
    if doc.original_invoice_number:
        ref = b.add(b.add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        b.add(ref, "cbc:ID", doc.original_invoice_number)
        if doc.original_invoice_date:
            b.add(ref, "cbc:IssueDate", doc.original_invoice_date.isoformat())
    _party(b, b.add(root, "cac:AccountingSupplierParty"), doc.seller, peppol)
    _party(b, b.add(root, "cac:AccountingCustomerParty"), doc.buyer, peppol)
    if doc.supply_date or doc.delivery_country:
        delivery = b.add(root, "cac:Delivery")
        b.opt(
            delivery,
            "cbc:ActualDeliveryDate",
            doc.supply_date.isoformat() if doc.supply_date else None,
        )
        if doc.delivery_country:
            address = b.add(b.add(delivery, "cac:DeliveryLocation"), "cac:Address")
            b.add(b.add(address, "cac:Country"), "cbc:IdentificationCode", doc.delivery_country)
    if doc.bank is not None:
        means = b.add(root, "cac:PaymentMeans")
        b.add(means, "cbc:PaymentMeansCode", "58" if cur == "EUR" else "30")
        if credit and doc.due_date:
            b.add(means, "cbc:PaymentDueDate", doc.due_date.isoformat())
        b.add(means, "cbc:PaymentID", rf_reference(doc.number))
        account = b.add(means, "cac:PayeeFinancialAccount")
        b.add(account, "cbc:ID", doc.bank.iban)
        b.opt(account, "cbc:Name", doc.bank.holder or doc.seller.name)
        if doc.bank.bic:
            b.add(b.add(account, "cac:FinancialInstitutionBranch"), "cbc:ID", doc.bank.bic)
    if doc.payment_terms:
        b.add(b.add(root, "cac:PaymentTerms"), "cbc:Note", doc.payment_terms)
    total = b.add(root, "cac:TaxTotal")
    b.add(total, "cbc:TaxAmount", amount(doc.totals.vat_minor, cur), currencyID=cur)
    for group in doc.vat_groups:
        sub = b.add(total, "cac:TaxSubtotal")
        b.add(sub, "cbc:TaxableAmount", amount(group.taxable_minor, cur), currencyID=cur)
        b.add(sub, "cbc:TaxAmount", amount(group.tax_minor, cur), currencyID=cur)
        _category(
            b,
            sub,
            "cac:TaxCategory",
            group.category,
            group.rate,
            group.exemption_code,
            group.exemption_text,
        )
    if doc.accounting_currency and doc.vat_total_accounting_minor is not None:
        # Peppol R053-R055: the VAT in the accounting currency, without subtotals.
        second = b.add(root, "cac:TaxTotal")
        b.add(
            second,
            "cbc:TaxAmount",
            amount(doc.vat_total_accounting_minor, doc.accounting_currency),
            currencyID=doc.accounting_currency,
        )
    totals = b.add(root, "cac:LegalMonetaryTotal")
    t = doc.totals
    b.add(totals, "cbc:LineExtensionAmount", amount(t.net_minor, cur), currencyID=cur)
    b.add(totals, "cbc:TaxExclusiveAmount", amount(t.net_minor, cur), currencyID=cur)
    b.add(totals, "cbc:TaxInclusiveAmount", amount(t.gross_minor, cur), currencyID=cur)
    if t.paid_minor:
        b.add(totals, "cbc:PrepaidAmount", amount(t.paid_minor, cur), currencyID=cur)
    b.add(totals, "cbc:PayableAmount", amount(t.gross_minor - t.paid_minor, cur), currencyID=cur)
    for index, line in enumerate(doc.lines, start=1):
        row = b.add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        b.add(row, "cbc:ID", str(index))
        b.add(
            row,
            "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
            decimal(line.quantity),
            unitCode=line.unit_code,
        )
        b.add(row, "cbc:LineExtensionAmount", amount(line.net_minor, cur), currencyID=cur)
        item = b.add(row, "cac:Item")
        b.opt(item, "cbc:Description", line.note)
        b.add(item, "cbc:Name", line.description[:200] or "-")
        if line.item_id:
            b.add(b.add(item, "cac:SellersItemIdentification"), "cbc:ID", line.item_id)
        _category(b, item, "cac:ClassifiedTaxCategory", line.category, line.rate, None, None)
        price = b.add(row, "cac:Price")
        b.add(price, "cbc:PriceAmount", decimal(line.unit_price), currencyID=cur)
    return b.serialize(root)


def _category(
    b: Builder,
    parent: Any,
    name: str,
    category: VatCategory,
    rate: Any,
    code: str | None,
    text: str | None,
) -> None:
    element = b.add(parent, name)
    b.add(element, "cbc:ID", category.value)
    if category is not VatCategory.OUTSIDE_SCOPE:  # BR-O-05: no rate for O
        b.add(element, "cbc:Percent", decimal(rate))
    b.opt(element, "cbc:TaxExemptionReasonCode", code)
    b.opt(element, "cbc:TaxExemptionReason", text)
    b.add(b.add(element, "cac:TaxScheme"), "cbc:ID", "VAT")


def _party(b: Builder, parent: Any, party: Party, peppol: bool) -> None:
    element = b.add(parent, "cac:Party")
    if party.endpoint_id and party.endpoint_scheme:
        b.add(element, "cbc:EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    elif party.registration_id and party.registration_scheme:
        b.add(element, "cbc:EndpointID", party.registration_id, schemeID=party.registration_scheme)
    elif party.email and not peppol:
        b.add(element, "cbc:EndpointID", party.email, schemeID="EM")
    if party.trading_name:
        b.add(b.add(element, "cac:PartyName"), "cbc:Name", party.trading_name)
    address = b.add(element, "cac:PostalAddress")
    b.opt(address, "cbc:StreetName", party.street)
    b.opt(address, "cbc:AdditionalStreetName", party.additional_street)
    b.opt(address, "cbc:CityName", party.city)
    b.opt(address, "cbc:PostalZone", party.postcode)
    b.opt(address, "cbc:CountrySubentity", party.subdivision)
    b.add(b.add(address, "cac:Country"), "cbc:IdentificationCode", party.country or "NL")
    if party.vat_number:
        scheme = b.add(element, "cac:PartyTaxScheme")
        b.add(scheme, "cbc:CompanyID", party.vat_number)
        b.add(b.add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = b.add(element, "cac:PartyLegalEntity")
    b.add(legal, "cbc:RegistrationName", party.name)
    if party.registration_id:
        attrs = {"schemeID": party.registration_scheme} if party.registration_scheme else {}
        b.add(legal, "cbc:CompanyID", party.registration_id, **attrs)
    if party.email or party.phone or party.contact_name:
        contact = b.add(element, "cac:Contact")
        b.opt(contact, "cbc:Name", party.contact_name)
        b.opt(contact, "cbc:Telephone", party.phone)
        b.opt(contact, "cbc:ElectronicMail", party.email)
