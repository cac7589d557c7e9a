"""A basket: its lines priced from the catalog when the session is made (the price the buyer
sees is the price invoiced), its buyer checked as a customer would be (the VAT number offline,
then with VIES before the reverse charge applies), its VAT decided by the engine exactly as
issuing will, and its order placed as an issued invoice of the server's series."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from invoicer.domain.errors import Conflict, Problem, ValidationError
from invoicer.domain.money import currency
from invoicer.domain.vat.engine import quote
from invoicer.domain.vat.model import Quote
from invoicer.integrations.vies import ViesError
from invoicer.services import customers, issuing
from invoicer.services.app import Services
from invoicer.services.checkout.model import BuyerDetails
from invoicer.services.commands import BasketLine, NewCustomer, NewDraft, NewLine
from invoicer.services.fields import Fields
from invoicer.store import schema

BUYER_FIELDS = ("name", "email", "street", "postcode", "city", "country", "vat_number", "language")
REQUIRED = {"email": "E-mail address", "street": "Street and number", "city": "City"}
LINE_COPY = ("description", "unit_price", "unit_code", "rate_class", "supply_kind")
CLAIM_STALE = dt.timedelta(minutes=5)  # a placing that died holds the order no longer
WAIT_SECONDS = 15.0  # how long a second caller waits for the first to place the order


class Busy(Conflict):
    """Another caller is placing this order right now: ask again in a moment."""


def checked_lines(svc: Services, lines: list[BasketLine], most: int) -> list[dict[str, Any]]:
    """The basket's lines with each product's price and VAT class as they are now."""
    if not lines:
        raise ValidationError.single("lines", "required", "A basket needs at least one product.")
    if len(lines) > most:
        raise ValidationError.single("lines", "too_many", f"A basket has at most {most} lines.")
    problems: list[Problem] = []
    checked: list[dict[str, Any]] = []
    with svc.read() as session:
        shop = session.execute(select(schema.Shop)).scalar()
        if shop is None:
            raise Conflict("Set up the shop profile first.")
        for index, line in enumerate(lines):
            where = f"lines[{index}]"
            fields = Fields(line.given(), ("product_id", "quantity"))
            product_id = fields.text("product_id", required=True, max_len=36)
            quantity = fields.quantity("quantity") or Decimal(1)
            problems += [Problem(f"{where}.{p.field}", p.code, p.message) for p in fields.problems]
            if product_id is None or fields.problems:
                continue
            product = session.get(schema.Product, product_id)
            if product is None or product.archived:
                problems.append(
                    Problem(f"{where}.product_id", "not_found", "There is no such product.")
                )
                continue
            if product.currency != shop.currency:
                problems.append(
                    Problem(
                        f"{where}.product_id",
                        "currency",
                        f"{product.name} is priced in {product.currency}; a basket is in "
                        f"{shop.currency}.",
                    )
                )
                continue
            checked.append(
                {
                    "product_id": product.id,
                    "quantity": str(quantity),
                    "description": product.name,
                    "unit_price": str(product.unit_price),
                    "unit_code": product.unit_code,
                    "rate_class": product.rate_class,
                    "supply_kind": product.supply_kind,
                    "art59_service": bool(product.art59_service),
                }
            )
    if problems:
        raise ValidationError(problems)
    return checked


def checked_buyer(svc: Services, data: dict[str, Any], prefix: str = "") -> BuyerDetails:
    """A buyer held to what an invoice needs; a VAT number is checked offline here, then with
    VIES, whose answer is kept as the proof the reverse charge rests on."""

    def named(problems: list[Problem]) -> list[Problem]:
        return [
            Problem(f"{prefix}.{p.field}" if prefix else p.field, p.code, p.message)
            for p in problems
        ]

    unknown = sorted(set(data) - set(BUYER_FIELDS))
    given = {k: v for k, v in data.items() if k in BUYER_FIELDS}
    problems = [
        Problem(key, "unknown_field", f"{key} is not a field of the buyer.") for key in unknown
    ]
    for key, label in REQUIRED.items():
        if not str(given.get(key) or "").strip():
            problems.append(Problem(key, "required", f"{label} is required."))
    clean: dict[str, Any] = {}
    try:
        clean = customers.checked(given, required=True)
    except ValidationError as exc:
        problems += exc.problems
    if problems:
        raise ValidationError(
            named(
                sorted(
                    problems,
                    key=lambda p: BUYER_FIELDS.index(p.field) if p.field in BUYER_FIELDS else 99,
                )
            )
        )
    buyer = BuyerDetails(
        name=clean["name"],
        country=clean["country"],
        email=clean["email"],
        street=clean["street"],
        postcode=clean["postcode"],
        city=clean["city"],
        vat_number=clean["vat_number"],
        language=clean["language"],
    )
    if buyer.vat_number:
        buyer = _vies(svc, buyer, named)
    return buyer


def _position(name: str | None) -> int:
    return BUYER_FIELDS.index(name) if name in BUYER_FIELDS else len(BUYER_FIELDS)


def _vies(svc: Services, buyer: BuyerDetails, named: Any) -> BuyerDetails:
    try:
        result = svc.vies.check_number(buyer.vat_number or "")
    except ViesError:
        # No reverse charge on a number VIES has not confirmed (Art. 138/196 need a valid
        # one); the buyer can wait a moment or buy with VAT.
        raise ValidationError(
            named(
                [
                    Problem(
                        "vat_number",
                        "vies_unavailable",
                        "VIES cannot confirm VAT numbers right now; try again in a few "
                        "minutes, or leave the number empty to buy with VAT.",
                    )
                ]
            )
        ) from None
    if not result.valid:
        raise ValidationError(
            named(
                [
                    Problem(
                        "vat_number",
                        "vies_invalid",
                        "VIES reports this VAT number as not valid; check it, or leave it "
                        "empty to buy as a consumer.",
                    )
                ]
            )
        )
    return BuyerDetails(
        **{
            **(buyer_json(buyer, dates=False) or {}),
            "vies_valid": True,
            "vies_checked_at": result.checked_at.replace(tzinfo=None),
            "vies_request_id": result.request_id,
        }
    )


def buyer_json(buyer: BuyerDetails | None, *, dates: bool = True) -> dict[str, Any] | None:
    if buyer is None:
        return None
    data = {name: getattr(buyer, name) for name in BuyerDetails.__dataclass_fields__}
    if dates and data["vies_checked_at"] is not None:
        data["vies_checked_at"] = data["vies_checked_at"].isoformat()
    return data


def buyer_of(data: dict[str, Any] | None) -> BuyerDetails | None:
    if not data:
        return None
    known = {k: v for k, v in data.items() if k in BuyerDetails.__dataclass_fields__}
    if isinstance(known.get("vies_checked_at"), str):
        known["vies_checked_at"] = dt.datetime.fromisoformat(known["vies_checked_at"])
    return BuyerDetails(**known)


def quote_for(svc: Services, lines: list[dict[str, Any]], buyer: BuyerDetails | None) -> Quote:
    """The engine's decision for these lines and this buyer today, built the way issuing
    builds it (issuing.build_request) from rows that are never stored. Without a buyer yet:
    a consumer in the shop's own country, the price a visitor sees first."""
    today = svc.today()
    with svc.read() as session:
        shop = session.execute(select(schema.Shop)).scalar()
        if shop is None:
            raise Conflict("Set up the shop profile first.")
        customer = schema.Customer(
            name=buyer.name if buyer else "",
            country=buyer.country if buyer else shop.country,
            postcode=buyer.postcode if buyer else None,
            vat_number=buyer.vat_number if buyer else None,
            is_business=bool(buyer and buyer.vat_number),
            vies_valid=buyer.vies_valid if buyer else None,
            vies_checked_at=buyer.vies_checked_at if buyer else None,
        )
        invoice = schema.Invoice(
            kind="invoice",
            currency=shop.currency,
            language=(buyer.language if buyer else None) or shop.language,
            exchange_rate=None,
        )
        invoice.lines = [
            schema.InvoiceLine(
                position=position,
                description=line["description"],
                quantity=Decimal(line["quantity"]),
                unit_price=Decimal(line["unit_price"]),
                unit_code=line["unit_code"],
                rate_class=line["rate_class"],
                supply_kind=line["supply_kind"],
                art59_service=line["art59_service"],
            )
            for position, line in enumerate(lines, start=1)
        ]
        request = issuing.build_request(
            session, invoice, shop, customer, today, today, svc.invoices.vies_max_age_days
        )
        session.expunge_all()
    return quote(request)


def place_order(
    svc: Services, checkout_id: str, lines: list[dict[str, Any]], buyer: BuyerDetails, *, paid: bool
) -> str:
    """Issue the basket's invoice once (the next number of the server's series) and return
    its id. Two callers at once (a webhook and the success page): one places it, the other
    waits for it. A failure leaves no draft behind and the order open to try again."""
    from invoicer.services.checkout import sessions

    if not sessions.claim(svc, checkout_id, CLAIM_STALE):
        return _wait_for_order(svc, checkout_id)
    draft_id = customer_id = None
    try:
        customer_id = _customer(svc, buyer)
        draft = svc.invoices.create_draft(
            NewDraft(
                customer_id=customer_id,
                language=buyer.language,
                due_days=0 if paid else None,
            )
        )
        draft_id = draft.id
        for line in lines:
            svc.invoices.add_line(
                draft_id,
                NewLine(
                    product_id=line["product_id"],
                    quantity=Decimal(line["quantity"]),
                    art59_service=line["art59_service"],
                    **{name: line[name] for name in LINE_COPY},
                ),
            )
        issued = svc.invoices.issue(draft_id)
    except BaseException:
        if draft_id is not None:
            svc.invoices.delete_draft(draft_id)
        sessions.placed(svc, checkout_id, None, None)
        raise
    sessions.placed(svc, checkout_id, issued.id, customer_id)
    return issued.id


def _wait_for_order(svc: Services, checkout_id: str) -> str:
    from invoicer.services.checkout import sessions

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        view = sessions.get(svc, checkout_id)
        if view.invoice_id is not None:
            return view.invoice_id
        if view.status != "open" or time.monotonic() > deadline:
            raise Busy("This order is being placed; try again in a moment.")
        time.sleep(0.1)


def _customer(svc: Services, buyer: BuyerDetails) -> str:
    """The shop's customer for this buyer: the same one for the same details, else new."""
    with svc.read() as session:
        found = session.execute(
            select(schema.Customer.id).where(
                schema.Customer.name == buyer.name,
                schema.Customer.email == buyer.email,
                schema.Customer.country == buyer.country,
                schema.Customer.street == buyer.street,
                schema.Customer.city == buyer.city,
                schema.Customer.archived.is_(False),
                schema.Customer.vat_number.is_(None)
                if buyer.vat_number is None
                else schema.Customer.vat_number == buyer.vat_number,
            )
        ).scalar()
    customer_id = str(found) if found else None
    if customer_id is None:
        customer_id = svc.customers.add(
            NewCustomer(
                name=buyer.name,
                email=buyer.email,
                street=buyer.street,
                postcode=buyer.postcode,
                city=buyer.city,
                country=buyer.country,
                vat_number=buyer.vat_number,
                language=buyer.language,
                is_business=bool(buyer.vat_number),
            )
        ).id
    if buyer.vies_valid is not None and buyer.vies_checked_at is not None:
        svc.customers.record_vies_check(
            customer_id, buyer.vies_valid, buyer.vies_checked_at, request_id=buyer.vies_request_id
        )
    return customer_id


def amount_of(result: Quote) -> Decimal:
    from invoicer.domain.money import from_minor

    return from_minor(result.gross_minor, currency(result.currency))
