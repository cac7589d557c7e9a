"""The Dutch shop and the one-line invoices the payment tests (core, CLI, TUI, GUI) book against."""

from __future__ import annotations

from invoicer.services.app import Services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine

SHOP = {
    "legal_name": "Voorbeeld B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "iban": "NL91ABNA0417164300",
}


def issued(svc: Services, customer: str = "Jan Jansen", price: str = "100.00") -> str:
    """An issued Dutch invoice of PRICE + 21 % VAT (121.00 EUR unless priced otherwise)."""
    cid = svc.customers.add(
        NewCustomer(
            name=customer, country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=cid))
    svc.invoices.add_line(draft.id, NewLine(description="Work", unit_price=price))
    return svc.invoices.issue(draft.id).id
