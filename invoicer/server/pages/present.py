"""The checkout services' answers in the buyer's words (the page model): the one module that
knows their shapes, so the templates and routes stay as they are when a service grows."""

from __future__ import annotations

from decimal import Decimal

from invoicer.server.pages.i18n import Words, msg
from invoicer.server.pages.model import Bank, Checkout, Crypto, Line, Party, Totals, VatRow
from invoicer.services import checkout as services

# What the VAT column says when no VAT is charged (EN 16931 categories).
CATEGORY_NAMES = {
    "AE": msg("Reverse charge"),
    "E": msg("Exempt"),
    "Z": msg("Zero rated"),
    "K": msg("Intra-EU supply"),
    "G": msg("Export"),
    "O": msg("Outside the scope of VAT"),
}


def _vat(words: Words, category: str, rate: Decimal) -> str:
    if category == "S":
        return words.percent(rate)
    return words.gettext(CATEGORY_NAMES.get(category, category))


def _address(
    words: Words, street: str | None, postcode: str | None, city: str | None, country: str | None
) -> tuple[str, ...]:
    town = " ".join(part for part in (postcode, city) if part)
    rows = [row for row in (street, town) if row]
    if country:
        rows.append(words.country(country))
    return tuple(rows)


def _money(words: Words, value: Decimal, code: str) -> str:
    return words.decimal_money(value, code)


def page(quote: services.CheckoutQuote, words: Words) -> Checkout:
    code = quote.currency
    seller = quote.seller
    buyer = quote.buyer
    return Checkout(
        id=quote.checkout.id,
        kind=quote.checkout.kind,
        status=quote.checkout.status,
        seller=Party(
            name=seller.name,
            address=_address(words, seller.street, seller.postcode, seller.city, seller.country),
            vat_number=seller.vat_number,
            email=seller.email,
        ),
        buyer=Party(
            name=buyer.name,
            address=_address(words, buyer.street, buyer.postcode, buyer.city, buyer.country),
            vat_number=buyer.vat_number,
            email=buyer.email,
        )
        if buyer is not None and buyer.name
        else None,
        invoice_number=quote.invoice_number,
        lines=tuple(
            Line(
                description=line.description,
                quantity=words.number(line.quantity),
                unit_price=_money(words, line.unit_price, code),
                vat=_vat(words, line.category, line.rate),
                amount=_money(words, line.net, code),
            )
            for line in quote.lines
        ),
        vat_rows=tuple(
            VatRow(
                label=words.gettext("VAT %(rate)s") % {"rate": words.percent(row.rate)}
                if row.category == "S"
                else words.gettext(CATEGORY_NAMES.get(row.category, row.category)),
                base=_money(words, row.base, code),
                amount=_money(words, row.amount, code),
                note=row.note,
            )
            for row in quote.vat
        ),
        totals=Totals(
            net=_money(words, quote.net, code),
            vat=_money(words, quote.vat_total, code),
            gross=_money(words, quote.gross, code),
            paid=_money(words, quote.paid, code) if quote.paid else None,
            due=_money(words, quote.due, code),
        ),
        currency=code,
        methods=quote.methods,
        needs_buyer=quote.needs_buyer,
        reverse_charge=quote.reverse_charge,
        has_pdf=quote.invoice_number is not None,
    )


def buyer_values(quote: services.CheckoutQuote) -> dict[str, str]:
    """The form's fields as the basket's buyer stands (empty for a new basket)."""
    buyer = quote.buyer
    if buyer is None:
        return {}
    values = {
        "name": buyer.name,
        "email": buyer.email,
        "street": buyer.street,
        "postcode": buyer.postcode,
        "city": buyer.city,
        "country": buyer.country,
        "vat_number": buyer.vat_number,
    }
    return {key: value or "" for key, value in values.items()}


def buyer_details(values: dict[str, str], language: str) -> dict[str, str | None]:
    """What the form posted, for the checkout service to check (empty fields are not given)."""
    return {**{key: value or None for key, value in values.items()}, "language": language}


def bank(transfer: services.BankTransfer, words: Words) -> Bank:
    return Bank(
        beneficiary=transfer.beneficiary,
        iban=" ".join(transfer.iban[i : i + 4] for i in range(0, len(transfer.iban), 4)),
        bic=transfer.bic,
        reference=transfer.reference,
        amount=_money(words, transfer.amount, transfer.currency),
        epc_payload=transfer.epc_payload,
    )


def crypto(request: services.CryptoRequest, words: Words) -> Crypto:
    return Crypto(
        uri=request.uri,
        address=request.address,
        amount=words.number(request.amount),
        asset=request.asset,
        chain_id=request.chain_id,
    )
