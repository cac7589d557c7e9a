"""Drafts, issuing, numbering, credit notes, payments and derived status on a real SQLite file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from invoicer.domain.errors import Conflict, NotFound, ValidationError
from invoicer.services.app import Services
from invoicer.services.commands import (
    CustomerChanges,
    DraftChanges,
    LineChanges,
    NewCreditNote,
    NewCustomer,
    NewDraft,
    NewLine,
    NewProduct,
    RecordPayment,
    ShopProfileChanges,
)

from .conftest import Clock, dump


def consumer(svc: Services, country: str = "NL", **kw: object) -> str:
    return svc.customers.add(
        NewCustomer(
            name="Jan Jansen",
            country=country,
            street="Kerkstraat 1",
            postcode="1017 GA",
            city="Amsterdam",
            **kw,
        )
    ).id


ADDRESS = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}


BERLIN = {"street": "Unter den Linden 1", "postcode": "10117", "city": "Berlin"}


def mueller(svc: Services) -> str:
    return svc.customers.add(
        NewCustomer(name="Müller GmbH", country="DE", vat_number="DE136695976", **BERLIN)
    ).id


def issued(svc: Services, customer_id: str, *lines: dict[str, object], **draft: object) -> str:
    invoice = svc.invoices.create_draft(NewDraft(customer_id=customer_id, **draft))
    for line in lines or ({"description": "Widget", "unit_price": "10.00", "quantity": "2"},):
        svc.invoices.add_line(invoice.id, NewLine(**line))
    return svc.invoices.issue(invoice.id).id


def test_a_draft_has_no_number_and_issuing_assigns_the_next(shop: Services) -> None:
    customer = consumer(shop)
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer))
    assert (draft.number, draft.status) == (None, "draft")
    shop.invoices.add_line(
        draft.id, NewLine(description="Tea", quantity="3", unit_price="1.05", rate_class="reduced")
    )
    invoice = shop.invoices.issue(draft.id)
    assert invoice.number == "INV-2026-000001"
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("3.15"), Decimal("0.28"),
                                                         Decimal("3.43"))  # fmt: skip
    assert invoice.status == "open"
    assert invoice.due_date == dt.date(2026, 3, 30)  # shop default: 14 days
    assert invoice.seller.vat_number == "NL004495445B01"


def test_deleting_a_draft_leaves_no_gap(shop: Services) -> None:
    customer = consumer(shop)
    first = issued(shop, customer)
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer))
    shop.invoices.add_line(draft.id, NewLine(description="x", unit_price="1"))
    shop.invoices.delete_draft(draft.id)
    second = issued(shop, customer)
    numbers = [shop.invoices.get(i).number for i in (first, second)]
    assert numbers == ["INV-2026-000001", "INV-2026-000002"]


def test_numbering_restarts_each_year(shop: Services, clock: Clock) -> None:
    customer = consumer(shop)
    issued(shop, customer)
    clock.today = dt.date(2027, 1, 2)
    assert shop.invoices.get(issued(shop, customer)).number == "INV-2027-000001"


def test_issued_invoices_cannot_be_changed_or_deleted(shop: Services) -> None:
    invoice_id = issued(shop, consumer(shop))
    for attempt in (
        lambda: shop.invoices.update_draft(invoice_id, DraftChanges(notes="changed")),
        lambda: shop.invoices.add_line(invoice_id, NewLine(description="x", unit_price="1")),
        lambda: shop.invoices.delete_draft(invoice_id),
        lambda: shop.invoices.issue(invoice_id),
    ):
        with pytest.raises(Conflict):
            attempt()


def test_the_snapshot_keeps_the_buyer_as_it_was(shop: Services) -> None:
    customer = consumer(shop)
    invoice_id = issued(shop, customer)
    shop.customers.update(
        customer, CustomerChanges(name="Jan Jansen-de Vries", street="Nieuwstraat 9")
    )
    invoice = shop.invoices.get(invoice_id)
    assert (invoice.buyer.name, invoice.buyer.street) == ("Jan Jansen", "Kerkstraat 1")


def test_full_credit_note_is_the_exact_negative(shop: Services) -> None:
    invoice_id = issued(
        shop, consumer(shop),
        {"description": "Tea", "quantity": "3", "unit_price": "1.05", "rate_class": "reduced"},
        {"description": "Cup", "quantity": "10", "unit_price": "0.99"},
    )  # fmt: skip
    invoice = shop.invoices.get(invoice_id)
    note = shop.credit_notes.create(invoice_id, NewCreditNote(reason="Returned"))
    assert note.number == "CN-2026-000001"
    assert (note.net, note.vat, note.gross) == (-invoice.net, -invoice.vat, -invoice.gross)
    assert [(g.category, g.rate, g.tax) for g in note.vat_groups] == [
        (g.category, g.rate, -g.tax) for g in invoice.vat_groups
    ]
    assert note.credited_invoice_number == invoice.number
    assert shop.invoices.get(invoice_id).status == "credited"
    with pytest.raises(Conflict, match="already fully credited"):
        shop.credit_notes.create(invoice_id, NewCreditNote())


def test_partial_credits_never_exceed_the_invoice(shop: Services) -> None:
    invoice_id = issued(
        shop, consumer(shop), {"description": "Cup", "quantity": "3", "unit_price": "0.35"}
    )
    line_id = shop.invoices.get(invoice_id).lines[0].id
    gross = shop.invoices.get(invoice_id).gross
    first = shop.credit_notes.create(invoice_id, NewCreditNote(lines={line_id: "1"}))
    with pytest.raises(Conflict, match="only 2 left"):
        shop.credit_notes.create(invoice_id, NewCreditNote(lines={line_id: "3"}))
    second = shop.credit_notes.create(invoice_id, NewCreditNote(lines={line_id: "2"}))
    assert first.gross + second.gross == -gross  # the last credit takes exactly what is left
    assert shop.invoices.get(invoice_id).status == "credited"


def test_payments_derive_the_status(shop: Services, clock: Clock) -> None:
    invoice_id = issued(shop, consumer(shop))  # 20.00 + 21 % = 24.20
    shop.payments.add(invoice_id, RecordPayment(amount="10.00", reference="bank 1"))
    assert shop.invoices.get(invoice_id).status == "partially_paid"
    clock.today = dt.date(2026, 4, 30)
    assert shop.invoices.get(invoice_id).status == "overdue"
    with pytest.raises(Conflict, match="more than the balance"):
        shop.payments.add(invoice_id, RecordPayment(amount="20.00"))
    shop.payments.add(invoice_id, RecordPayment(amount="14.20", method="cash"))
    invoice = shop.invoices.get(invoice_id)
    assert (invoice.status, invoice.balance, invoice.paid) == ("paid", 0, Decimal("24.20"))
    assert [p.method for p in shop.payments.list(invoice_id)] == ["bank_transfer", "cash"]


def test_overpayment_only_when_said_so_and_external_ids_book_once(shop: Services) -> None:
    invoice_id = issued(shop, consumer(shop))
    shop.payments.add(
        invoice_id,
        RecordPayment(
            amount="30.00",
            overpayment=True,
            method="crypto",
            external_id="0xabc",
            details={"chain_id": 1},
        ),
    )
    assert shop.invoices.get(invoice_id).balance == Decimal("-5.80")
    other = issued(shop, consumer(shop))
    with pytest.raises(Conflict, match="already booked"):
        shop.payments.add(other, RecordPayment(amount="1.00", method="crypto", external_id="0xabc"))


@pytest.mark.parametrize(
    ("address", "missing"),
    [
        ({}, "street, postcode or city"),
        ({"street": "Kerkstraat 1", "city": "Amsterdam"}, "postcode"),
        ({"street": " ", "postcode": "1017 GA"}, "street or city"),
    ],
)
def test_issuing_needs_the_customers_full_address(
    shop: Services, db_target: Path | str, address: dict[str, str], missing: str
) -> None:
    # Art. 226(5): the customer's full name and address, as for the seller.
    customer = shop.customers.add(NewCustomer(name="Jan Jansen", country="NL", **address)).id
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer)).id
    shop.invoices.add_line(draft, NewLine(description="Widget", unit_price="10.00"))
    before = dump(db_target)
    with pytest.raises(ValidationError, match=f"Jan Jansen has no {missing}, .*Art. 226") as err:
        shop.invoices.issue(draft, vies_policy="warn")
    assert [(p.field, p.code) for p in err.value.problems] == [("customer", "address_incomplete")]
    assert dump(db_target) == before
    shop.customers.update(
        customer, CustomerChanges(street="Kerkstraat 1", postcode="1017 GA", city="Amsterdam")
    )
    assert shop.invoices.issue(draft).number == "INV-2026-000001"
    assert shop.invoices.get(draft).buyer.city == "Amsterdam"


def test_reverse_charge_needs_a_vies_check_unless_policy_is_warn(shop: Services) -> None:
    customer = mueller(shop)
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer))
    shop.invoices.add_line(
        draft.id, NewLine(description="Consulting", unit_price="100", supply_kind="services")
    )
    preview = shop.invoices.preview(draft.id)
    assert preview.warnings
    with pytest.raises(Conflict, match="VIES"):
        shop.invoices.issue(draft.id)
    invoice = shop.invoices.issue(draft.id, vies_policy="warn")
    assert [(g.category, g.exemption_text) for g in invoice.vat_groups] == [
        ("AE", "Reverse charge")
    ]


def test_verified_buyer_gets_reverse_charge_and_vies_proof_in_snapshot(shop: Services) -> None:
    customer = mueller(shop)
    shop.customers.record_vies_check(
        customer, True, dt.datetime(2026, 3, 10, 9, 0), "MUELLER GMBH", "BERLIN", "WAPIAAAA1"
    )
    invoice = shop.invoices.get(issued(
        shop, customer, {"description": "Goods", "unit_price": "500"}
    ))  # fmt: skip
    assert invoice.vat_groups[0].category == "K"
    assert invoice.buyer.vies_request_id == "WAPIAAAA1"
    assert invoice.requirements["delivery_date"] is True


def test_the_store_feeds_the_distance_sales_threshold(shop: Services) -> None:
    german = consumer(shop, country="DE")
    first = shop.invoices.get(issued(shop, german, {"description": "Bike", "unit_price": "9000"}))
    assert first.vat_groups[0].rate == Decimal(21)  # below EUR 10,000: Dutch VAT
    second = shop.invoices.get(issued(shop, german, {"description": "Bike", "unit_price": "1500"}))
    assert second.vat_groups[0].rate == Decimal(19)  # crosses it: German VAT from this sale
    third = shop.invoices.get(issued(shop, german, {"description": "Bell", "unit_price": "10"}))
    assert third.vat_groups[0].rate == Decimal(19)
    summary = shop.reports.vat_summary(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(r.country, r.rate, r.taxable) for r in summary.oss] == [
        ("DE", Decimal(19), Decimal("1510.00"))
    ]


def test_profile_figure_counts_towards_the_threshold(shop: Services) -> None:
    shop.shop.save(ShopProfileChanges(eu_b2c_sales_outside_previous_year="12000"))
    invoice = shop.invoices.get(issued(shop, consumer(shop, country="FR")))
    assert invoice.vat_groups[0].rate == Decimal(20)


def test_list_filters_pages_and_search(shop: Services, clock: Clock) -> None:
    a = consumer(shop)
    b = shop.customers.add(NewCustomer(name="Bakkerij Brood", country="NL", **ADDRESS)).id
    ids = [issued(shop, a), issued(shop, b), issued(shop, a)]
    shop.payments.add(ids[0], RecordPayment(amount="24.20"))
    draft = shop.invoices.create_draft(NewDraft(customer_id=b))
    page = shop.invoices.list(limit=2)
    assert (page.total, len(page.items)) == (4, 2)
    assert {i.id for i in shop.invoices.list(status="paid").items} == {ids[0]}
    assert {i.id for i in shop.invoices.list(status="draft").items} == {draft.id}
    assert {i.id for i in shop.invoices.list(search="bakk").items} == {ids[1], draft.id}
    assert [i.number for i in shop.invoices.list(search="INV-2026-000003").items] == [
        "INV-2026-000003"
    ]
    assert len(shop.invoices.list(customer_id=a).items) == 2
    clock.today = dt.date(2026, 5, 1)
    assert len(shop.invoices.list(status="overdue").items) == 2
    with pytest.raises(ValidationError):
        shop.invoices.list(status="late")


def test_reports(shop: Services, clock: Clock) -> None:
    customer = consumer(shop)
    old = issued(shop, customer)
    clock.today = dt.date(2026, 5, 20)
    issued(shop, customer)
    aging = {row.bucket: row.amount for row in shop.reports.aging()}
    assert aging == {"not_due": Decimal("24.20"), "1-30": 0, "31-60": Decimal("24.20"),
                     "61-90": 0, "90+": 0}  # fmt: skip
    months = shop.reports.revenue_by_month(2026)
    assert [(m.month, m.net) for m in months] == [("2026-03", Decimal("20.00")),
                                                  ("2026-05", Decimal("20.00"))]  # fmt: skip
    dashboard = shop.reports.dashboard()
    assert dashboard.revenue_30d == Decimal("20.00")
    assert (dashboard.open_total, dashboard.overdue_total) == (Decimal("48.40"), Decimal("24.20"))
    assert [a.kind for a in dashboard.attention] == ["overdue"]
    assert dashboard.attention[0].invoice_id == old
    vat = shop.reports.vat_summary(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(r.category, r.rate, r.taxable, r.tax) for r in vat.rows] == [
        ("S", Decimal(21), Decimal("40.00"), Decimal("8.40"))
    ]


def test_update_line_changes_it_in_place(shop: Services) -> None:
    draft = shop.invoices.create_draft(NewDraft(customer_id=consumer(shop))).id
    shop.invoices.add_line(draft, NewLine(description="Tea", unit_price="10.00", quantity="2"))
    shop.invoices.add_line(draft, NewLine(description="Cups", unit_price="4.00"))
    first, second = shop.invoices.get(draft).lines
    updated = shop.invoices.update_line(draft, first.id, LineChanges(quantity="3"))
    assert [(l.id, l.description, l.quantity) for l in updated.lines] == [  # noqa: E741
        (first.id, "Tea", Decimal(3)),
        (second.id, "Cups", Decimal(1)),
    ]
    assert updated.lines[0].unit_price == Decimal("10.00")  # fields not given are kept
    assert shop.invoices.preview(draft).net == Decimal("34.00")
    shop.invoices.update_line(draft, second.id, LineChanges(description="Mugs", unit_price="5.50"))
    assert shop.invoices.get(draft).lines[1].description == "Mugs"
    assert shop.audit.verify().ok


def test_update_line_refuses_bad_values_and_issued_invoices(
    shop: Services, db_target: Path | str
) -> None:
    customer = consumer(shop)
    draft = shop.invoices.create_draft(NewDraft(customer_id=customer)).id
    line = shop.invoices.add_line(draft, NewLine(description="Tea", unit_price="10.00")).lines[0]
    before = dump(db_target)
    with pytest.raises(ValidationError):
        shop.invoices.update_line(draft, line.id, LineChanges(quantity="0"))
    with pytest.raises(ValidationError):
        shop.invoices.update_line(draft, line.id, LineChanges(colour="red"))
    with pytest.raises(NotFound):
        shop.invoices.update_line(draft, "no-such-line", LineChanges(quantity="2"))
    assert dump(db_target) == before
    open_id = issued(shop, customer)
    open_line = shop.invoices.get(open_id).lines[0]
    with pytest.raises(Conflict):
        shop.invoices.update_line(open_id, open_line.id, LineChanges(quantity="5"))


def test_audit_chain_covers_every_mutation(shop: Services) -> None:
    invoice_id = issued(shop, consumer(shop))
    shop.payments.add(invoice_id, RecordPayment(amount="1.00"))
    report = shop.audit.verify()
    assert report.ok
    assert report.events >= 6


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s, c: s.customers.add(NewCustomer(name="", country="NL")), ValidationError),
        (lambda s, c: s.customers.add(NewCustomer(name="X", country="Nederland")), ValidationError),
        (
            lambda s, c: s.customers.add(NewCustomer(name="X", country="DE", vat_number="DE123")),
            ValidationError,
        ),
        (
            lambda s, c: s.customers.add(NewCustomer(name="X", country="DE", email="nope")),
            ValidationError,
        ),
        (lambda s, c: s.customers.update("missing", CustomerChanges(name="X")), NotFound),
        (lambda s, c: s.products.add(NewProduct(name="X", unit_price="abc")), ValidationError),
        (
            lambda s, c: s.products.add(NewProduct(name="X", unit_price="1", rate_class="luxury")),
            ValidationError,
        ),
        (lambda s, c: s.shop.save(ShopProfileChanges(iban="NL00BANK0000000000")), ValidationError),
        (
            lambda s, c: s.shop.save(ShopProfileChanges(invoice_number_format="INV-{year}")),
            ValidationError,
        ),
        (lambda s, c: s.invoices.create_draft(NewDraft(customer_id="missing")), NotFound),
        (
            lambda s, c: s.invoices.create_draft(NewDraft(customer_id=c, currency="EURO")),
            ValidationError,
        ),
        (
            lambda s, c: s.invoices.add_line(
                s.invoices.list(status="draft").items[0].id,
                NewLine(description="x", unit_price="1", quantity="-2"),
            ),
            ValidationError,
        ),
        (
            lambda s, c: s.invoices.issue(s.invoices.list(status="draft").items[0].id),
            ValidationError,
        ),  # no lines
        (
            lambda s, c: s.invoices.add_line(
                s.invoices.list(status="open").items[0].id, NewLine(description="x", unit_price="1")
            ),
            Conflict,
        ),
        (
            lambda s, c: s.payments.add(
                s.invoices.list(status="open").items[0].id, RecordPayment(amount="-5")
            ),
            ValidationError,
        ),
        (
            lambda s, c: s.payments.add(
                s.invoices.list(status="open").items[0].id, RecordPayment(amount="1.001")
            ),
            ValidationError,
        ),
        (
            lambda s, c: s.payments.add(
                s.invoices.list(status="open").items[0].id, RecordPayment(amount="999")
            ),
            Conflict,
        ),
        (
            lambda s, c: s.credit_notes.create(
                s.invoices.list(status="open").items[0].id,
                NewCreditNote(lines={"no-such-line": "1"}),
            ),
            NotFound,
        ),
        (
            lambda s, c: s.credit_notes.create(
                s.invoices.list(status="draft").items[0].id, NewCreditNote()
            ),
            Conflict,
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    shop: Services, db_target: Path | str, call: object, error: type[Exception]
) -> None:
    customer = consumer(shop)
    issued(shop, customer)
    shop.invoices.create_draft(NewDraft(customer_id=customer))
    before = dump(db_target)
    with pytest.raises(error):
        call(shop, customer)  # type: ignore[operator]
    assert dump(db_target) == before


def test_a_drafts_totals_follow_its_lines(shop: Services) -> None:
    # Lists and search show a draft's totals as issuing would decide them today.
    draft = shop.invoices.create_draft(NewDraft(customer_id=consumer(shop))).id

    def listed() -> tuple[Decimal, Decimal]:
        row = next(i for i in shop.invoices.list(status="draft").items if i.id == draft)
        return row.net, row.gross

    assert listed() == (Decimal(0), Decimal(0))
    tea = shop.invoices.add_line(
        draft, NewLine(description="Tea", unit_price="10.00", quantity="2")
    )
    assert listed() == (Decimal("20.00"), Decimal("24.20"))  # NL 21 %
    shop.invoices.add_line(
        draft, NewLine(description="Book", unit_price="10.00", rate_class="reduced")
    )
    assert listed() == (Decimal("30.00"), Decimal("35.10"))  # + 9 %
    shop.invoices.update_line(draft, tea.lines[0].id, LineChanges(quantity="1"))
    preview = shop.invoices.preview(draft)
    assert listed() == (preview.net, preview.gross) == (Decimal("20.00"), Decimal("23.00"))
    assert [(g.rate, g.tax) for g in shop.invoices.get(draft).vat_groups] == [
        (g.rate, g.tax) for g in preview.vat_groups
    ]
    shop.invoices.remove_line(draft, tea.lines[0].id)
    assert listed() == (Decimal("10.00"), Decimal("10.90"))
    issued_view = shop.invoices.issue(draft)
    assert (issued_view.net, issued_view.gross) == (Decimal("10.00"), Decimal("10.90"))
    assert shop.audit.verify().ok
