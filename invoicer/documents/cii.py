"""UN/CEFACT Cross Industry Invoice (D16B) per the EN 16931 / Factur-X EN16931 profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

from invoicer.documents.model import InvoiceDocument, Party, VatCategory
from invoicer.documents.xmlbuild import Builder, amount, decimal
from invoicer.domain.payments.reference import rf_reference

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
GUIDELINE = "urn:cen.eu:en16931:2017"


def to_cii(doc: InvoiceDocument) -> bytes:
    b = Builder(NS)
    cur = doc.currency
    root = b.root("rsm:CrossIndustryInvoice")
    context = b.add(root, "rsm:ExchangedDocumentContext")
    b.add(b.add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    header = b.add(root, "rsm:ExchangedDocument")
    b.add(header, "ram:ID", doc.number)
    b.add(header, "ram:TypeCode", "381" if doc.is_credit_note else "380")
    _date(b, b.add(header, "ram:IssueDateTime"), doc.issue_date)
    for note in doc.notes:
        b.add(b.add(header, "ram:IncludedNote"), "ram:Content", note)
    trade = b.add(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(doc.lines, start=1):
        item = b.add(trade, "ram:IncludedSupplyChainTradeLineItem")
        b.add(b.add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(index))
        product = b.add(item, "ram:SpecifiedTradeProduct")
        b.opt(product, "ram:SellerAssignedID", line.item_id)
        b.add(product, "ram:Name", line.description[:200] or "-")
        b.opt(product, "ram:Description", line.note)
        agreement = b.add(item, "ram:SpecifiedLineTradeAgreement")
        price = b.add(agreement, "ram:NetPriceProductTradePrice")
        b.add(price, "ram:ChargeAmount", decimal(line.unit_price))
        delivery = b.add(item, "ram:SpecifiedLineTradeDelivery")
        b.add(delivery, "ram:BilledQuantity", decimal(line.quantity), unitCode=line.unit_code)
        settlement = b.add(item, "ram:SpecifiedLineTradeSettlement")
        tax = b.add(settlement, "ram:ApplicableTradeTax")
        b.add(tax, "ram:TypeCode", "VAT")
        b.add(tax, "ram:CategoryCode", line.category.value)
        if line.category is not VatCategory.OUTSIDE_SCOPE:
            b.add(tax, "ram:RateApplicablePercent", decimal(line.rate))
        summation = b.add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        b.add(summation, "ram:LineTotalAmount", amount(line.net_minor, cur))
    agreement = b.add(trade, "ram:ApplicableHeaderTradeAgreement")
    b.opt(agreement, "ram:BuyerReference", doc.buyer_reference)
    _party(b, b.add(agreement, "ram:SellerTradeParty"), doc.seller)
    _party(b, b.add(agreement, "ram:BuyerTradeParty"), doc.buyer)
    if doc.order_reference:
        order = b.add(agreement, "ram:BuyerOrderReferencedDocument")
        b.add(order, "ram:IssuerAssignedID", doc.order_reference)
    delivery = b.add(trade, "ram:ApplicableHeaderTradeDelivery")
    if doc.delivery_country:
        ship_to = b.add(delivery, "ram:ShipToTradeParty")
        b.add(b.add(ship_to, "ram:PostalTradeAddress"), "ram:CountryID", doc.delivery_country)
    if doc.supply_date:
        event = b.add(delivery, "ram:ActualDeliverySupplyChainEvent")
        _date(b, b.add(event, "ram:OccurrenceDateTime"), doc.supply_date)
    settlement = b.add(trade, "ram:ApplicableHeaderTradeSettlement")
    if doc.bank is not None:
        b.add(settlement, "ram:PaymentReference", rf_reference(doc.number))
    b.opt(settlement, "ram:TaxCurrencyCode", doc.accounting_currency)
    b.add(settlement, "ram:InvoiceCurrencyCode", cur)
    if doc.bank is not None:
        means = b.add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        b.add(means, "ram:TypeCode", "58" if cur == "EUR" else "30")
        account = b.add(means, "ram:PayeePartyCreditorFinancialAccount")
        b.add(account, "ram:IBANID", doc.bank.iban)
        b.opt(account, "ram:AccountName", doc.bank.holder)
        if doc.bank.bic:
            institution = b.add(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            b.add(institution, "ram:BICID", doc.bank.bic)
    for group in doc.vat_groups:
        tax = b.add(settlement, "ram:ApplicableTradeTax")
        b.add(tax, "ram:CalculatedAmount", amount(group.tax_minor, cur))
        b.add(tax, "ram:TypeCode", "VAT")
        b.opt(tax, "ram:ExemptionReason", group.exemption_text)
        b.add(tax, "ram:BasisAmount", amount(group.taxable_minor, cur))
        b.add(tax, "ram:CategoryCode", group.category.value)
        b.opt(tax, "ram:ExemptionReasonCode", group.exemption_code)
        if group.category is not VatCategory.OUTSIDE_SCOPE:
            b.add(tax, "ram:RateApplicablePercent", decimal(group.rate))
    if doc.supply_period:
        period = b.add(settlement, "ram:BillingSpecifiedPeriod")
        _date(b, b.add(period, "ram:StartDateTime"), doc.supply_period[0])
        _date(b, b.add(period, "ram:EndDateTime"), doc.supply_period[1])
    if doc.payment_terms or (doc.due_date and not doc.is_credit_note):
        terms = b.add(settlement, "ram:SpecifiedTradePaymentTerms")
        b.opt(terms, "ram:Description", doc.payment_terms)
        if doc.due_date and not doc.is_credit_note:
            _date(b, b.add(terms, "ram:DueDateDateTime"), doc.due_date)
    t = doc.totals
    summation = b.add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    b.add(summation, "ram:LineTotalAmount", amount(t.net_minor, cur))
    b.add(summation, "ram:TaxBasisTotalAmount", amount(t.net_minor, cur))
    b.add(summation, "ram:TaxTotalAmount", amount(t.vat_minor, cur), currencyID=cur)
    if doc.accounting_currency and doc.vat_total_accounting_minor is not None:
        b.add(
            summation,
            "ram:TaxTotalAmount",
            amount(doc.vat_total_accounting_minor, doc.accounting_currency),
            currencyID=doc.accounting_currency,
        )
    b.add(summation, "ram:GrandTotalAmount", amount(t.gross_minor, cur))
    if t.paid_minor:
        b.add(summation, "ram:TotalPrepaidAmount", amount(t.paid_minor, cur))
    b.add(summation, "ram:DuePayableAmount", amount(t.gross_minor - t.paid_minor, cur))
    if doc.original_invoice_number:
        ref = b.add(settlement, "ram:InvoiceReferencedDocument")
        b.add(ref, "ram:IssuerAssignedID", doc.original_invoice_number)
        if doc.original_invoice_date:
            formatted = b.add(ref, "ram:FormattedIssueDateTime")
            b.add(
                formatted,
                "qdt:DateTimeString",
                doc.original_invoice_date.strftime("%Y%m%d"),
                format="102",
            )
    return b.serialize(root)


def _date(b: Builder, parent: Any, day: dt.date) -> None:
    b.add(parent, "udt:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _party(b: Builder, element: Any, party: Party) -> None:
    b.add(element, "ram:Name", party.name)
    if party.registration_id or party.trading_name:
        legal = b.add(element, "ram:SpecifiedLegalOrganization")
        if party.registration_id:
            attrs = {"schemeID": party.registration_scheme} if party.registration_scheme else {}
            b.add(legal, "ram:ID", party.registration_id, **attrs)
        b.opt(legal, "ram:TradingBusinessName", party.trading_name)
    if party.email or party.phone or party.contact_name:
        contact = b.add(element, "ram:DefinedTradeContact")
        b.opt(contact, "ram:PersonName", party.contact_name)
        if party.phone:
            b.add(
                b.add(contact, "ram:TelephoneUniversalCommunication"),
                "ram:CompleteNumber",
                party.phone,
            )
        if party.email:
            b.add(b.add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", party.email)
    address = b.add(element, "ram:PostalTradeAddress")
    b.opt(address, "ram:PostcodeCode", party.postcode)
    b.opt(address, "ram:LineOne", party.street)
    b.opt(address, "ram:LineTwo", party.additional_street)
    b.opt(address, "ram:CityName", party.city)
    b.add(address, "ram:CountryID", party.country or "NL")
    b.opt(address, "ram:CountrySubDivisionName", party.subdivision)
    if party.email:
        b.add(
            b.add(element, "ram:URIUniversalCommunication"), "ram:URIID", party.email, schemeID="EM"
        )
    if party.vat_number:
        b.add(
            b.add(element, "ram:SpecifiedTaxRegistration"),
            "ram:ID",
            party.vat_number,
            schemeID="VA",
        )
