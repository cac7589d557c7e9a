"""Quotes on a real store (SQLite file and PostgreSQL): their own gap-free series, frozen once
issued, expiry derived from the date, conversion into a draft invoice (whole or chosen
lines) with the VAT decided again, and never counted as an invoice anywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.services.app import Services, open_services
from invoicer.services.commands import NewCustomer, NewDraft, NewLine, NewQuote, ShopProfileChanges

from .conftest import SHOP, Clock, dump

ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


def customer(svc: Services, **extra: str) -> str:
    return svc.customers.add(NewCustomer(name="Jan Jansen", country="NL", **ADDRESS, **extra)).id


def issued_quote(svc: Services, customer_id: str, *prices: str) -> str:
    quote = svc.quotes.create(NewQuote(customer_id=customer_id))
    for index, price in enumerate(prices or ("100.00",)):
        svc.quotes.add_line(quote.id, NewLine(description=f"Work {index + 1}", unit_price=price))
    return svc.quotes.issue(quote.id).id


def test_a_draft_quote_gets_the_engines_vat_and_no_number(shop: Services) -> None:
    quote = shop.quotes.create(NewQuote(customer_id=customer(shop), notes="Valid for a month"))
    quote = shop.quotes.add_line(quote.id, NewLine(description="Design", unit_price="100.00"))
    quote = shop.quotes.add_line(
        quote.id, NewLine(description="Book", unit_price="10", rate_class="reduced")
    )
    assert quote.number is None
    assert quote.status == "draft"
    assert [(line.category, line.rate) for line in quote.lines] == [
        ("S", Decimal(21)),
        ("S", Decimal(9)),
    ]
    assert (quote.net, quote.vat, quote.gross) == (
        Decimal("110.00"),
        Decimal("21.90"),
        Decimal("131.90"),
    )
    quote = shop.quotes.remove_line(quote.id, 2)
    assert quote.gross == Decimal("121.00")


def test_quote_numbers_are_their_own_gap_free_series(shop: Services, clock: Clock) -> None:
    buyer = customer(shop)
    first = shop.quotes.get(issued_quote(shop, buyer))
    draft = shop.invoices.create_draft(NewDraft(customer_id=buyer))
    shop.invoices.add_line(draft.id, NewLine(description="Invoice line", unit_price="5"))
    invoice = shop.invoices.issue(draft.id)
    second = shop.quotes.get(issued_quote(shop, buyer))
    assert (first.number, second.number) == ("QUO-2026-000001", "QUO-2026-000002")
    assert invoice.number == "INV-2026-000001"  # the invoice series did not move for quotes
    assert first.valid_until == clock.today + dt.timedelta(days=30)
    assert shop.audit.verify().ok  # the counter check knows the quote series


def test_an_issued_quote_never_changes(shop: Services, db_target: Path | str) -> None:
    quote_id = issued_quote(shop, customer(shop))
    before = dump(db_target)
    with pytest.raises(Conflict, match="issued"):
        shop.quotes.add_line(quote_id, NewLine(description="More", unit_price="1"))
    with pytest.raises(Conflict, match="issued"):
        shop.quotes.remove_line(quote_id, 1)
    with pytest.raises(Conflict, match="issued"):
        shop.quotes.issue(quote_id)
    with pytest.raises(Conflict, match="issued"):
        shop.quotes.delete_draft(quote_id)
    assert dump(db_target) == before


def test_expired_is_derived_from_the_date(shop: Services, clock: Clock) -> None:
    quote = shop.quotes.create(NewQuote(customer_id=customer(shop), valid_days="10"))
    shop.quotes.add_line(quote.id, NewLine(description="Work", unit_price="50"))
    issued = shop.quotes.send(shop.quotes.issue(quote.id).id)
    assert issued.status == "sent"
    assert issued.valid_until == clock.today + dt.timedelta(days=10)
    clock.today += dt.timedelta(days=10)
    assert shop.quotes.get(quote.id).status == "sent"  # its last valid day
    clock.today += dt.timedelta(days=1)
    assert shop.quotes.get(quote.id).status == "expired"
    assert [q.id for q in shop.quotes.list(status="expired").items] == [quote.id]
    assert shop.quotes.list(status="sent").items == ()
    with pytest.raises(Conflict, match="expired"):
        shop.quotes.accept(quote.id)
    assert shop.quotes.decline(quote.id).status == "declined"


def test_states_move_only_forward(shop: Services) -> None:
    quote_id = issued_quote(shop, customer(shop))
    with pytest.raises(Conflict, match="only an accepted quote"):
        shop.quotes.convert(quote_id)
    assert shop.quotes.accept(quote_id).status == "accepted"
    with pytest.raises(Conflict, match="accepted"):
        shop.quotes.decline(quote_id)
    draft = shop.quotes.create(NewQuote(customer_id=customer(shop)))
    with pytest.raises(Conflict, match="draft"):
        shop.quotes.send(draft.id)


def test_converting_makes_a_draft_invoice_with_every_line(shop: Services) -> None:
    quote_id = issued_quote(shop, customer(shop), "100.00", "25.50")
    shop.quotes.accept(quote_id)
    invoice = shop.quotes.convert(quote_id)
    assert invoice.status == "draft"
    assert invoice.number is None
    assert [(line.description, line.unit_price) for line in invoice.lines] == [
        ("Work 1", Decimal("100.00")),
        ("Work 2", Decimal("25.50")),
    ]
    quote = shop.quotes.get(quote_id)
    assert quote.invoice_id == invoice.id
    assert quote.converted_positions == (1, 2)
    assert invoice.notes == f"From quote {quote.number}."  # the VAT did not change
    assert shop.invoices.preview(invoice.id).gross == quote.gross
    with pytest.raises(Conflict, match="already became an invoice"):
        shop.quotes.convert(quote_id)


def test_a_partial_conversion_takes_the_chosen_lines(shop: Services) -> None:
    quote_id = issued_quote(shop, customer(shop), "10", "20", "30")
    shop.quotes.accept(quote_id)
    with pytest.raises(ValidationError, match="no line 7"):
        shop.quotes.convert(quote_id, [1, 7])
    assert shop.invoices.list(status="draft").items == ()  # nothing half made
    invoice = shop.quotes.convert(quote_id, [1, 3])
    assert [line.description for line in invoice.lines] == ["Work 1", "Work 3"]
    assert shop.quotes.get(quote_id).converted_positions == (1, 3)


ESTONIA = {
    **SHOP,
    "legal_name": "Näide OÜ",
    "street": "Narva mnt 5",
    "postcode": "10117",
    "city": "Tallinn",
    "country": "EE",
    "vat_number": "EE100931558",
    "iban": "EE382200221020145685",
    "bic": "HABAEE2X",
}


def test_a_rate_change_before_the_invoice_date_is_noted_on_the_draft(tmp_path: Path) -> None:
    # Estonia's standard rate went from 22% to 24% on 2025-07-01 (resources/vat/rates.json).
    clock = Clock()
    clock.today = dt.date(2025, 6, 20)
    with open_services(tmp_path / "ee.sqlite", today=clock) as svc:
        svc.shop.save(ShopProfileChanges(**ESTONIA))
        buyer = svc.customers.add(
            NewCustomer(
                name="Mari Maasikas",
                country="EE",
                street="Pikk 1",
                postcode="10123",
                city="Tallinn",
            )
        ).id
        quote_id = issued_quote(svc, buyer, "100.00")
        quote = svc.quotes.accept(quote_id)
        assert (quote.lines[0].rate, quote.vat) == (Decimal(22), Decimal("22.00"))
        clock.today = dt.date(2025, 7, 3)
        invoice = svc.quotes.convert(quote_id)
        assert "Work 1: 22% (S) in the quote, 24% (S) now." in (invoice.notes or "")
        assert svc.invoices.preview(invoice.id).vat == Decimal("24.00")
        assert svc.quotes.get(quote_id).vat == Decimal("22.00")  # the quote said what it said


def test_a_quote_never_reaches_vat_reports_revenue_or_the_dashboard(
    shop: Services, clock: Clock
) -> None:
    quote_id = issued_quote(shop, customer(shop), "1000.00")
    shop.quotes.send(quote_id)
    shop.quotes.accept(quote_id)
    summary = shop.reports.vat_summary(clock.today.replace(day=1), clock.today)
    assert summary.rows == () or all(row.taxable == 0 for row in summary.rows)
    assert all(month.net == 0 for month in shop.reports.revenue_by_month(clock.today.year))
    board = shop.reports.dashboard()
    assert (board.revenue_30d, board.open_total, board.latest) == (Decimal(0), Decimal(0), ())
    assert shop.invoices.list().items == ()


def test_bad_input_changes_nothing(shop: Services, db_target: Path | str) -> None:
    buyer = customer(shop)
    quote = shop.quotes.create(NewQuote(customer_id=buyer))
    before = dump(db_target)
    with pytest.raises(ValidationError):
        shop.quotes.add_line(quote.id, NewLine(description="x", unit_price="1e999"))
    with pytest.raises(ValidationError):
        shop.quotes.add_line(quote.id, NewLine(description="a\x00b", unit_price="1"))
    with pytest.raises(ValidationError):
        shop.quotes.issue(quote.id)  # no lines
    with pytest.raises(NotFound):
        shop.quotes.get("nope\x00")
    with pytest.raises(ValidationError):
        shop.quotes.create(NewQuote(customer_id=buyer, valid_days="0"))
    assert dump(db_target) == before


@pytest.mark.parametrize(
    ("language", "title", "valid"),
    [("en", "Quote", "Valid until"), ("nl", "Offerte", "Geldig tot"),
     ("de", "Angebot", "Gültig bis"), ("fr", "Devis", "Valable jusqu'au")],
)  # fmt: skip
def test_the_quote_pdf_has_its_title_and_validity_and_no_payment_section(
    shop: Services, language: str, title: str, valid: str
) -> None:
    import io

    from pypdf import PdfReader

    quote = shop.quotes.create(NewQuote(customer_id=customer(shop), language=language))
    shop.quotes.add_line(quote.id, NewLine(description="Consulting", unit_price="100"))
    issued = shop.quotes.issue(quote.id)
    pdf = shop.documents.render_quote_pdf(issued.id)
    assert pdf == shop.documents.render_quote_pdf(issued.id)  # the same bytes each time
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"{title}  {issued.number}" in text or f"{title} {issued.number}" in text
    assert valid in text
    assert "IBAN" not in text  # no payment section, no bank details to pay to
    assert reader.metadata is not None
    assert reader.metadata.title == f"{title} {issued.number}"


def test_a_draft_quote_has_no_pdf(shop: Services) -> None:
    quote = shop.quotes.create(NewQuote(customer_id=customer(shop)))
    with pytest.raises(Conflict, match="issue it first"):
        shop.documents.render_quote_pdf(quote.id)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE quotes SET gross_minor = 1",
        "UPDATE quotes SET lines = '[]'",
        "UPDATE quotes SET number = 'QUO-2026-999999'",
        "DELETE FROM quotes",
    ],
)
def test_the_database_itself_refuses_to_change_an_issued_quote(
    shop: Services, db_target: Path | str, statement: str
) -> None:
    from sqlalchemy import text

    issued_quote(shop, customer(shop))
    before = dump(db_target)
    with pytest.raises(Exception, match="issued quotes cannot be"), shop.db.write() as session:
        session.execute(text(statement))
    assert dump(db_target) == before
    with shop.db.write() as session:  # its state may still move on
        session.execute(text("UPDATE quotes SET status = 'sent'"))
