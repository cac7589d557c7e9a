"""Bank statements: CAMT.053 and CSV in, matched credits booked once, the rest listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.domain.errors import ValidationError
from invoicer.domain.payments.reference import rf_reference
from invoicer.integrations.bank_statements import parse_camt053, parse_csv
from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, ShopProfileChanges
from invoicer.services.payments_bank import import_statement
from tests.payments.shop import SHOP


def camt(entries: list[dict[str, str]]) -> bytes:
    rows = []
    for e in entries:
        remittance = (
            f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{e['ref']}</Ref></CdtrRefInf></Strd>"
            if e.get("ref")
            else f"<Ustrd>{e.get('text', '')}</Ustrd>"
        )
        rows.append(f"""
      <Ntry>
        <Amt Ccy="{e.get("ccy", "EUR")}">{e["amount"]}</Amt>
        <CdtDbtInd>{e.get("side", "CRDT")}</CdtDbtInd>
        <Sts><Cd>{e.get("status", "BOOK")}</Cd></Sts>
        <BookgDt><Dt>2026-03-20</Dt></BookgDt>
        <AcctSvcrRef>{e["id"]}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Nm>{e.get("name", "")}</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>{remittance}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-03-21T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>{"".join(rows)}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()


@pytest.fixture
def shop(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "bank.sqlite", today=lambda: dt.date(2026, 3, 16))
    svc.shop.save(ShopProfileChanges(**SHOP))
    return svc


def invoice(svc: Services, customer: str, amount: str) -> tuple[str, str]:
    cid = svc.customers.add(
        NewCustomer(
            name=customer, country="NL", street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam"
        )
    ).id
    draft = svc.invoices.create_draft(NewDraft(customer_id=cid))
    svc.invoices.add_line(
        draft.id, NewLine(description="Work", unit_price=amount, rate_class="zero")
    )
    issued = svc.invoices.issue(draft.id)
    return issued.id, issued.number or ""


def test_camt053_credits_are_matched_booked_once_and_the_rest_listed(shop: Services) -> None:
    by_ref = invoice(shop, "Anker B.V.", "100.00")
    by_number = invoice(shop, "Brood & Co", "250.00")
    by_amount = invoice(shop, "Café Zoë", "42.50")
    statement = camt(
        [
            {"id": "E1", "amount": "100.00", "ref": rf_reference(by_ref[1]), "name": "ANKER BV"},
            {
                "id": "E2",
                "amount": "250.00",
                "text": f"Payment invoice {by_number[1]} thanks",
                "name": "Brood en Co",
            },
            {"id": "E3", "amount": "42.50", "text": "coffee", "name": "CAFE ZOE"},
            {"id": "E4", "amount": "99.99", "text": "unknown", "name": "Somebody"},
            {"id": "E5", "amount": "500.00", "side": "DBIT", "text": "rent"},
            {"id": "E6", "amount": "10.00", "status": "PDNG", "text": by_ref[1]},
        ]
    )
    report = import_statement(shop, statement)
    assert [(m.invoice.number, m.reason) for m in report.booked] == [
        (by_ref[1], "reference"),
        (by_number[1], "number"),
        (by_amount[1], "amount and name"),
    ]
    assert [c.entry_id for c in report.unmatched] == ["NL91ABNA0417164300:E4:0"]
    for invoice_id, _ in (by_ref, by_number, by_amount):
        assert shop.invoices.get(invoice_id).status == "paid"
    again = import_statement(shop, statement)
    assert (again.booked, len(again.already_booked)) == ((), 3)
    assert len(shop.payments.list(by_ref[0])) == 1


def test_csv_statement_with_comma_decimals(shop: Services) -> None:
    _, number = invoice(shop, "Anker B.V.", "1234.50")
    text = (
        "date;amount;currency;name;description\n"
        f"20-03-2026;1.234,50;EUR;Anker BV;factuur {number}\n"
        "20-03-2026;-50,00;EUR;Shop;debit\n"
    )
    report = import_statement(shop, text.encode())
    assert [(m.invoice.number, m.credit.amount) for m in report.booked] == [
        (number, Decimal("1234.50"))
    ]
    assert import_statement(shop, text.encode()).already_booked


def test_a_partial_transfer_is_booked_as_a_partial_payment(shop: Services) -> None:
    invoice_id, number = invoice(shop, "Anker B.V.", "100.00")
    report = import_statement(shop, camt([{"id": "P1", "amount": "40.00", "text": number}]))
    assert len(report.booked) == 1
    assert shop.invoices.get(invoice_id).status == "partially_paid"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<Document xmlns='urn:something'/>", "not a CAMT.053"),
        (b"<Document", "not XML"),
        (b"date;amount\nyesterday;10\n", "line 2 date"),
        (b"date;amount\n2026-03-01;ten\n", "line 2 amount"),
        # One parser for every amount (issue 16): once read as 1.234 and 1.234.
        (b"date;amount\n2026-03-01;1.234\n", "line 2 amount: '1.234' is ambiguous"),
        (b'date,amount\n2026-03-01,"1,234"\n', "line 2 amount: '1,234' is ambiguous"),
        (b"when;how much\n2026-03-01;10\n", "date and amount"),
    ],
)
def test_bad_statements_are_refused_clearly(shop: Services, data: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as error:
        import_statement(shop, data)
    assert words in str(error.value)


def test_parsers_read_all_fields() -> None:
    [credit] = parse_camt053(
        camt([{"id": "X", "amount": "5.00", "ref": "RF18539007547034", "name": "Payer"}])
    )
    assert (credit.reference, credit.payer_name, credit.payer_iban, credit.currency) == (
        "RF18539007547034",
        "Payer",
        "DE89370400440532013000",
        "EUR",
    )
    [row] = parse_csv("date,amount,iban,reference,id\n2026-03-01,7.5,NL02,RF00,bank-7\n")
    assert (row.entry_id, row.amount, row.payer_iban) == ("bank-7", Decimal("7.5"), "NL02")
