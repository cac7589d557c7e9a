"""Real issued invoices for every VAT case, made through the services on a temp database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicer.services.app import Services, open_services
from invoicer.services.commands import (
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    RecordPayment,
    ShopProfileChanges,
)

SHOP: dict[str, Any] = {
    "legal_name": "Voorbeeld Handel B.V.",
    "street": "Damrak 1",
    "postcode": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "vat_number": "NL004495445B01",
    "registration_number": "12345678",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "email": "factuur@voorbeeld.example",
}
VERIFIED = dt.datetime(2026, 3, 10, 9, 0)


def issue(svc: Services, customer: dict[str, Any], lines: list[dict[str, Any]],
          **draft: Any) -> str:  # fmt: skip
    customer_id = svc.customers.add(NewCustomer(**customer)).id
    if customer.get("vat_number"):
        svc.customers.record_vies_check(customer_id, True, VERIFIED, "X", "Y", "WAPI1")
    invoice = svc.invoices.create_draft(NewDraft(customer_id=customer_id, **draft))
    for line in lines:
        svc.invoices.add_line(invoice.id, NewLine(**line))
    return svc.invoices.issue(invoice.id).id


GOODS = {"description": "Teapot", "unit_price": "64.00", "quantity": "2"}
SERVICE = {"description": "Consulting", "unit_price": "95.00", "quantity": "3",
           "supply_kind": "services"}  # fmt: skip


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, dict[str, str]]]:
    path: Path = tmp_path_factory.mktemp("documents") / "docs.sqlite"
    with open_services(path, today=lambda: dt.date(2026, 3, 16)) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        nl = {"name": "Jan Jansen", "country": "NL", "street": "Kerkstraat 1",
              "postcode": "1017 GA", "city": "Amsterdam", "email": "jan@example.nl",
              "peppol_id": "0088:8712345000004"}  # fmt: skip
        ids = {
            "S": issue(svc, nl, [GOODS, {"description": "Tea, 250 g", "unit_price": "12.50",
                                         "quantity": "3", "rate_class": "reduced"}]),
            "Z": issue(svc, nl, [{"description": "Export packaging", "unit_price": "5",
                                  "rate_class": "zero"}]),
            "E": issue(svc, nl, [{"description": "Medical consult", "unit_price": "80",
                                  "rate_class": "exempt", "supply_kind": "services"}]),
            "AE": issue(svc, {"name": "Müller GmbH", "country": "DE", "vat_number": "DE136695976",
                              "street": "Marktplatz 5", "postcode": "80331", "city": "München"},
                        [SERVICE], language="de"),
            "K": issue(svc, {"name": "Ελληνικό Τσάι Α.Ε.", "country": "GR",
                             "vat_number": "EL094501040", "street": "Ερμού 20",
                             "postcode": "10563", "city": "Αθήνα"}, [GOODS]),
            "G": issue(svc, {"name": "Þórður Jónsson", "country": "IS", "street": "Laugavegur 1",
                             "postcode": "101", "city": "Reykjavík",
                             "peppol_id": "0088:5690000000008"}, [GOODS], language="fr"),
            "O": issue(svc, {"name": "Acme Inc.", "country": "US", "is_business": True,
                             "street": "500 Market St", "postcode": "94105",
                             "city": "San Francisco", "peppol_id": "0088:0614141000005"},
                       [SERVICE]),
            "USD": issue(svc, {"name": "Łukasz Żółkiewski", "country": "NL", "street": "Plein 1",
                               "postcode": "1011 AA", "city": "Amsterdam", "currency": "USD",
                               "peppol_id": "0088:8712345000004"},
                         [GOODS], exchange_rate="0.92", language="nl"),
        }  # fmt: skip
        ids["CREDITED"] = issue(svc, nl, [GOODS])
        ids["CN"] = svc.credit_notes.create(ids["CREDITED"], NewCreditNote(reason="Returned")).id
        svc.payments.add(ids["K"], RecordPayment(amount="128.00", reference="SEPA-2026-0042"))
        yield svc, ids
