"""Read a received e-invoice (UBL 2.1 or CII) into a plain structure whose totals reconcile.

The start of receiving e-invoices: `invoicer einvoice show FILE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from invoicer.domain.errors import ValidationError

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"


@dataclass(frozen=True)
class ReceivedLine:
    description: str
    quantity: Decimal
    net: Decimal
    category: str
    rate: Decimal | None


@dataclass(frozen=True)
class ReceivedInvoice:
    syntax: str  # "UBL" or "CII"
    kind: str  # invoice | credit_note
    number: str
    issue_date: str
    currency: str
    seller: str
    seller_vat: str | None
    buyer: str
    buyer_vat: str | None
    lines: tuple[ReceivedLine, ...]
    vat_breakdown: tuple[tuple[str, Decimal | None, Decimal, Decimal], ...]
    net_total: Decimal
    vat_total: Decimal
    gross_total: Decimal
    payable: Decimal
    allowances: Decimal = Decimal(0)  # document level (BT-107)
    charges: Decimal = Decimal(0)  # document level (BT-108)
    problems: tuple[str, ...] = field(default=())

    @property
    def reconciles(self) -> bool:
        return not self.problems


def read_einvoice_file(data: bytes) -> ReceivedInvoice:
    """A UBL or CII file, or a PDF (Factur-X / ZUGFeRD) with one embedded."""
    if data.startswith(b"%PDF"):
        from facturx import get_xml_from_pdf

        try:
            _, xml = get_xml_from_pdf(data, check_xsd=False)
        except Exception as exc:  # pypdf raises many kinds for a damaged file
            raise ValidationError.single(
                "file", "unreadable_pdf", f"The PDF cannot be read ({type(exc).__name__})."
            ) from None
        if not xml:
            raise ValidationError.single(
                "file",
                "no_einvoice",
                "The PDF has no embedded e-invoice (no Factur-X, ZUGFeRD or XRechnung XML).",
            )
        data = xml
    return read_einvoice(data)


def read_einvoice(data: bytes) -> ReceivedInvoice:
    from lxml import etree

    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ValidationError.single("file", "not_xml", f"The file is not XML: {exc}.") from None
    local = etree.QName(root).localname
    if local in ("Invoice", "CreditNote"):
        invoice = _ubl(root, local)
    elif local == "CrossIndustryInvoice":
        invoice = _cii(root)
    else:
        raise ValidationError.single(
            "file", "unknown_syntax", f"<{local}> is neither a UBL invoice nor a CII invoice."
        )
    return _check(invoice)


def _d(text: str | None) -> Decimal:
    if not text or not text.strip():
        return Decimal(0)
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) >= Decimal(10) ** 20:
        raise ValidationError.single(
            "file",
            "not_a_number",
            f"The e-invoice holds {text.strip()[:40]!r} where a number belongs.",
        )
    return number


def _ubl(root: Any, local: str) -> ReceivedInvoice:
    ns = {"cbc": CBC, "cac": CAC}

    def t(path: str, node: Any = root) -> str | None:
        value = node.findtext(path, namespaces=ns)
        return value.strip() if value else None

    line_tag = "cac:CreditNoteLine" if local == "CreditNote" else "cac:InvoiceLine"
    qty_tag = "cbc:CreditedQuantity" if local == "CreditNote" else "cbc:InvoicedQuantity"
    lines = tuple(
        ReceivedLine(
            t("cac:Item/cbc:Name", line) or "",
            _d(t(qty_tag, line)),
            _d(t("cbc:LineExtensionAmount", line)),
            t("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) or "",
            Decimal(p)
            if (p := t("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", line))
            else None,
        )
        for line in root.findall(line_tag, ns)
    )
    currency = t("cbc:DocumentCurrencyCode") or ""
    tax_total = next(
        (
            tt
            for tt in root.findall("cac:TaxTotal", ns)
            if tt.find("cbc:TaxAmount", ns).get("currencyID") == currency
        ),
        None,
    )
    breakdown = tuple(
        (
            t("cac:TaxCategory/cbc:ID", sub) or "",
            Decimal(p) if (p := t("cac:TaxCategory/cbc:Percent", sub)) else None,
            _d(t("cbc:TaxableAmount", sub)),
            _d(t("cbc:TaxAmount", sub)),
        )
        for sub in (tax_total.findall("cac:TaxSubtotal", ns) if tax_total is not None else [])
    )
    totals = "cac:LegalMonetaryTotal/"
    return ReceivedInvoice(
        syntax="UBL",
        kind="credit_note" if local == "CreditNote" else "invoice",
        number=t("cbc:ID") or "",
        issue_date=t("cbc:IssueDate") or "",
        currency=currency,
        seller=t("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName")
        or "",
        seller_vat=t("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"),
        buyer=t("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName")
        or "",
        buyer_vat=t("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"),
        lines=lines,
        vat_breakdown=breakdown,
        net_total=_d(t(totals + "cbc:TaxExclusiveAmount")),
        vat_total=_d(t("cbc:TaxAmount", tax_total)) if tax_total is not None else Decimal(0),
        gross_total=_d(t(totals + "cbc:TaxInclusiveAmount")),
        payable=_d(t(totals + "cbc:PayableAmount")),
        allowances=_d(t(totals + "cbc:AllowanceTotalAmount")),
        charges=_d(t(totals + "cbc:ChargeTotalAmount")),
    )


def _cii(root: Any) -> ReceivedInvoice:
    ns = {"ram": RAM, "rsm": RSM, "udt": UDT}

    def t(path: str, node: Any = root) -> str | None:
        value = node.findtext(path, namespaces=ns)
        return value.strip() if value else None

    trade = root.find("rsm:SupplyChainTradeTransaction", ns)
    settlement = trade.find("ram:ApplicableHeaderTradeSettlement", ns)
    currency = t("ram:InvoiceCurrencyCode", settlement) or ""
    lines = tuple(
        ReceivedLine(
            t("ram:SpecifiedTradeProduct/ram:Name", item) or "",
            _d(t("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", item)),
            _d(
                t(
                    "ram:SpecifiedLineTradeSettlement/"
                    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                    item,
                )
            ),
            t("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", item)
            or "",
            Decimal(p)
            if (
                p := t(
                    "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
                    "ram:RateApplicablePercent",
                    item,
                )
            )
            else None,
        )
        for item in trade.findall("ram:IncludedSupplyChainTradeLineItem", ns)
    )
    breakdown = tuple(
        (
            t("ram:CategoryCode", tax) or "",
            Decimal(p) if (p := t("ram:RateApplicablePercent", tax)) else None,
            _d(t("ram:BasisAmount", tax)),
            _d(t("ram:CalculatedAmount", tax)),
        )
        for tax in settlement.findall("ram:ApplicableTradeTax", ns)
    )
    summation = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", ns)
    vat = next(
        (
            e.text
            for e in summation.findall("ram:TaxTotalAmount", ns)
            if e.get("currencyID") in (None, currency)
        ),
        None,
    )
    agreement = trade.find("ram:ApplicableHeaderTradeAgreement", ns)
    seller = agreement.find("ram:SellerTradeParty", ns)
    buyer = agreement.find("ram:BuyerTradeParty", ns)
    return ReceivedInvoice(
        syntax="CII",
        kind="credit_note" if t("rsm:ExchangedDocument/ram:TypeCode") == "381" else "invoice",
        number=t("rsm:ExchangedDocument/ram:ID") or "",
        issue_date=t("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") or "",
        currency=currency,
        seller=t("ram:Name", seller) or "",
        seller_vat=t("ram:SpecifiedTaxRegistration/ram:ID", seller),
        buyer=t("ram:Name", buyer) or "",
        buyer_vat=t("ram:SpecifiedTaxRegistration/ram:ID", buyer),
        lines=lines,
        vat_breakdown=breakdown,
        net_total=_d(t("ram:TaxBasisTotalAmount", summation)),
        vat_total=_d(vat),
        gross_total=_d(t("ram:GrandTotalAmount", summation)),
        payable=_d(t("ram:DuePayableAmount", summation)),
        allowances=_d(t("ram:AllowanceTotalAmount", summation)),
        charges=_d(t("ram:ChargeTotalAmount", summation)),
    )


def _check(invoice: ReceivedInvoice) -> ReceivedInvoice:
    """The EN 16931 arithmetic (BR-CO-10, -13, -14, -15), to the cent."""
    problems = []
    line_sum = sum((line.net for line in invoice.lines), Decimal(0))
    group_tax = sum((row[3] for row in invoice.vat_breakdown), Decimal(0))
    group_base = sum((row[2] for row in invoice.vat_breakdown), Decimal(0))
    if group_tax != invoice.vat_total:
        problems.append(f"VAT breakdown {group_tax} != VAT total {invoice.vat_total}")
    if invoice.net_total + invoice.vat_total != invoice.gross_total:
        problems.append(
            f"net {invoice.net_total} + VAT {invoice.vat_total} != gross {invoice.gross_total}"
        )
    if group_base != invoice.net_total:
        problems.append(f"taxable amounts {group_base} != net total {invoice.net_total}")
    expected_net = line_sum - invoice.allowances + invoice.charges  # BR-CO-13
    if expected_net != invoice.net_total:
        problems.append(
            f"lines {line_sum} - allowances {invoice.allowances} + charges {invoice.charges} "
            f"!= net total {invoice.net_total}"
        )
    return ReceivedInvoice(**{**invoice.__dict__, "problems": tuple(problems)})
