"""Paying a checkout: what its page shows, the ways to pay it, and booking what was paid
(once, whoever reports it first: a webhook, the success page asking Stripe, a watcher)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicer.domain.errors import Conflict, NotFound
from invoicer.domain.money import currency, from_minor, to_minor
from invoicer.domain.payments.reference import rf_reference
from invoicer.domain.vat.model import Quote
from invoicer.integrations import stripe_payments
from invoicer.integrations.crypto import parse_assets
from invoicer.services import views
from invoicer.services.app import Services
from invoicer.services.checkout import basket, sessions
from invoicer.services.checkout.model import (
    BankTransfer,
    BuyerDetails,
    CheckoutQuote,
    CheckoutView,
    CryptoRequest,
    QuoteLine,
    QuoteVat,
)
from invoicer.services.commands import CryptoRequest as WantedCrypto
from invoicer.services.commands import RecordPayment
from invoicer.services.payments import reported_by_provider

REVERSE_CHARGE = "AE"


def open_session(svc: Services, checkout_id: str) -> CheckoutView:
    """The session if the buyer may still pay it; an expired or cancelled one is gone."""
    view = sessions.get(svc, checkout_id)
    if view.status in ("expired", "cancelled"):
        raise NotFound("This checkout session is no longer open.")
    return view


def quote(svc: Services, checkout_id: str, buyer: BuyerDetails | None = None) -> CheckoutQuote:
    """The page's figures: an invoice's as issued; a basket's as the engine decides them for
    its buyer (or `buyer`, not stored), until its order is placed, then its invoice's."""
    view = sessions.get(svc, checkout_id)
    if view.invoice_id is not None:
        return _invoice_quote(svc, view)
    row_lines = _lines(svc, checkout_id)
    who = buyer or view.buyer
    result = basket.quote_for(svc, row_lines, who)
    return _basket_quote(svc, view, row_lines, who, result)


def set_buyer(svc: Services, checkout_id: str, buyer: dict[str, Any]) -> CheckoutView:
    """Check the buyer's details (VIES included) and keep them with the basket."""
    open_session(svc, checkout_id)
    return sessions.set_buyer(svc, checkout_id, basket.checked_buyer(svc, buyer))


def start_card(svc: Services, checkout_id: str, *, success_url: str, cancel_url: str) -> str:
    """A Stripe Checkout Session for what is due, with the shop's own key; its URL."""
    view = open_session(svc, checkout_id)
    if view.status == "paid":
        raise Conflict("This checkout is paid already.")
    if "card" not in methods(svc, view.currency):
        raise Conflict("This shop does not take card payments online.")
    page = quote(svc, checkout_id)
    if page.needs_buyer:
        raise Conflict("Fill in your details first.")
    amount = to_minor(page.due, currency(page.currency))
    label = page.invoice_number or checkout_id
    session = stripe_payments.create_checkout_session(
        _stripe(svc),
        amount_minor=amount,
        currency=page.currency,
        invoice_number=label,
        description=f"{page.seller.name} – {label}",
        success_url=success_url,
        cancel_url=cancel_url,
        idempotency_key=f"invoicer-{checkout_id}-{amount}",
        metadata={"invoicer_checkout": checkout_id, "invoicer_shop": view.shop_id},
    )
    sessions.set_provider_session(svc, checkout_id, session.id)
    return session.url or ""


def bank_transfer(svc: Services, checkout_id: str) -> BankTransfer:
    """How to pay by SEPA transfer. A basket's order is placed here (its invoice issued, so
    the transfer carries the invoice's reference), once; it stays open until paid."""
    view = open_session(svc, checkout_id)
    if "bank_transfer" not in methods(svc, view.currency):
        raise Conflict("This shop does not take bank transfers online.")
    invoice = _invoice(svc, view, paid=False)
    seller = invoice.seller
    iban = seller.iban or _shop(svc).iban
    if not iban:
        raise Conflict("This shop has no bank account to pay into.")
    reference = rf_reference(invoice.number or "")
    bic = seller.bic
    payload = None
    if invoice.currency == "EUR" and invoice.balance > 0:
        from invoicer.documents.payment_codes import epc_payload

        payload = epc_payload(
            name=seller.name, iban=iban, amount=invoice.balance, reference=reference, bic=bic
        )
    return BankTransfer(
        beneficiary=seller.name,
        iban=iban,
        bic=bic,
        reference=reference,
        amount=invoice.balance,
        currency=invoice.currency,
        invoice_number=invoice.number or "",
        epc_payload=payload,
    )


def crypto(svc: Services, checkout_id: str) -> CryptoRequest:
    """An EIP-681 request in a stablecoin of the session's currency. A basket's order is
    placed first, so the watcher books the transfer against its invoice."""
    view = open_session(svc, checkout_id)
    asset = _stablecoin(svc, view.currency)
    if asset is None:
        raise Conflict("This shop does not take crypto payments in this currency.")
    invoice = _invoice(svc, view, paid=False)
    request = svc.crypto.request_payment(invoice.id, WantedCrypto(asset=asset))
    details = request.details
    units = int(details["units"])
    decimals = int(details["decimals"])
    return CryptoRequest(
        uri=request.url,
        address=svc.ctx.require_settings().receiving_address,
        amount=Decimal(units).scaleb(-decimals),
        asset=str(details["asset"]),
        chain_id=int(details["chain_id"]),
        invoice_number=invoice.number or "",
    )


def complete(
    svc: Services,
    checkout_id: str,
    *,
    method: str,
    external_id: str,
    amount_minor: int,
    currency_code: str,
    paid_on: dt.date | None = None,
    details: dict[str, Any] | None = None,
) -> CheckoutView:
    """Book a payment the provider reported for this checkout, once per `external_id`: a
    basket's invoice is issued first (at this moment, the server's next number)."""
    view = sessions.get(svc, checkout_id)
    if view.status == "cancelled":
        raise Conflict("This checkout was cancelled; refund the payment.")
    if currency_code.upper() != view.currency:
        raise Conflict(
            f"The payment is in {currency_code.upper()}; the checkout in {view.currency}."
        )
    payment_id = booked_payment(svc, method, external_id)
    if payment_id is None:
        invoice = _invoice(svc, view, paid=True)
        if method == "bank_transfer":  # a bank statement may have booked it first
            twin = svc.payments.same_money(
                invoice.id, amount_minor, by_provider=reported_by_provider(external_id)
            )
            if twin is not None:
                return sessions.mark_paid(svc, checkout_id, twin.id)
        try:
            payment = svc.payments.add(
                invoice.id,
                RecordPayment(
                    amount=from_minor(amount_minor, currency(view.currency)),
                    date=paid_on,
                    method=method,
                    reference=external_id,
                    external_id=external_id,
                    overpayment=True,  # the money arrived: record it, never refuse it
                    details={"checkout": checkout_id, **(details or {})},
                ),
            )
            payment_id = payment.id
        except Conflict:
            payment_id = booked_payment(svc, method, external_id)  # booked by a racing call
            if payment_id is None:
                raise
    return sessions.mark_paid(svc, checkout_id, payment_id)


def refresh(svc: Services, checkout_id: str) -> CheckoutView:
    """Ask Stripe about the session's card payment (the success page does, in case the
    webhook has not arrived yet) and book it if it is paid."""
    view = sessions.get(svc, checkout_id)
    provider = sessions.provider_session(svc, checkout_id)
    if view.status == "paid" or provider is None:
        return view
    found = stripe_payments.retrieve_checkout_session(_stripe(svc), provider)
    if found.payment_status == "paid" and found.payment_intent and found.amount_total:
        return complete(
            svc,
            checkout_id,
            method="card",
            external_id=found.payment_intent,
            amount_minor=found.amount_total,
            currency_code=found.currency or view.currency,
            details={"stripe_session": found.id, "fee_minor": found.fee_minor},
        )
    return view


def booked_payment(svc: Services, method: str, external_id: str) -> str | None:
    from sqlalchemy import select

    from invoicer.store import schema

    with svc.read() as session:
        found = session.execute(
            select(schema.Payment.id).where(
                schema.Payment.method == method, schema.Payment.external_id == external_id
            )
        ).scalar()
    return str(found) if found else None


def methods(svc: Services, code: str) -> tuple[str, ...]:
    """The ways to pay this shop takes online, in the order the page offers them."""
    found = []
    if svc.ctx.secrets.get_secret("stripe_secret_key"):
        found.append("card")
    if _shop(svc).iban:
        found.append("bank_transfer")
    if _stablecoin(svc, code) is not None:
        found.append("crypto")
    return tuple(found)


def _stablecoin(svc: Services, code: str) -> str | None:
    settings = svc.ctx.require_settings()
    if not settings.receiving_address:
        return None
    for asset in parse_assets(settings.crypto_assets):
        if asset.contract is not None and asset.currency == code:
            return asset.symbol
    return None


def _stripe(svc: Services) -> Any:
    from invoicer.services.payments_stripe import stripe_client

    return stripe_client(svc)


def _invoice(svc: Services, view: CheckoutView, *, paid: bool) -> views.Invoice:
    """The invoice this checkout pays: a basket's order is placed on first need."""
    invoice_id = view.invoice_id
    if invoice_id is None:
        buyer = view.buyer
        if buyer is None or not buyer.complete:
            raise Conflict("Fill in your details first.")
        invoice_id = basket.place_order(svc, view.id, _lines(svc, view.id), buyer, paid=paid)
    return svc.invoices.get(invoice_id)


def _lines(svc: Services, checkout_id: str) -> list[dict[str, Any]]:
    with svc.read() as session:
        return list(sessions.row_of(session, checkout_id).lines or [])


def _shop(svc: Services) -> views.ShopProfile:
    shop = svc.shop.get()
    if shop is None:
        raise Conflict("This shop has no profile yet.")
    return shop


def _seller_of_shop(svc: Services) -> views.Party:
    shop = _shop(svc)
    return views.Party(
        name=shop.trading_name or shop.legal_name,
        street=shop.street,
        postcode=shop.postcode,
        city=shop.city,
        country=shop.country,
        vat_number=shop.vat_number,
        email=shop.email,
        iban=shop.iban,
        bic=shop.bic,
    )


def _invoice_quote(svc: Services, view: CheckoutView) -> CheckoutQuote:
    invoice = svc.invoices.get(view.invoice_id or "")
    buyer = view.buyer or BuyerDetails(
        name=invoice.buyer.name,
        country=invoice.buyer.country or "",
        email=invoice.buyer.email,
        street=invoice.buyer.street,
        postcode=invoice.buyer.postcode,
        city=invoice.buyer.city,
        vat_number=invoice.buyer.vat_number,
    )
    return CheckoutQuote(
        checkout=view,
        seller=invoice.seller,
        buyer=buyer,
        invoice_number=invoice.number,
        currency=invoice.currency,
        lines=tuple(
            QuoteLine(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                net=line.net,
                category=line.category or "S",
                rate=line.rate or Decimal(0),
            )
            for line in invoice.lines
        ),
        vat=tuple(
            QuoteVat(g.category, g.rate, g.taxable, g.tax, g.exemption_text)
            for g in invoice.vat_groups
        ),
        net=invoice.net,
        vat_total=invoice.vat,
        gross=invoice.gross,
        paid=invoice.paid + invoice.credited,
        due=max(invoice.balance, Decimal(0)),
        methods=methods(svc, invoice.currency),
        needs_buyer=False,
        reverse_charge=any(g.category == REVERSE_CHARGE for g in invoice.vat_groups),
        notes=invoice.notes_required,
    )


def _basket_quote(
    svc: Services,
    view: CheckoutView,
    lines: list[dict[str, Any]],
    buyer: BuyerDetails | None,
    result: Quote,
) -> CheckoutQuote:
    cur = currency(result.currency)

    def money(minor: int) -> Decimal:
        return from_minor(minor, cur)

    gross = money(result.gross_minor)
    notes = tuple(result.requirements.notes)
    return CheckoutQuote(
        checkout=view,
        seller=_seller_of_shop(svc),
        buyer=buyer,
        invoice_number=None,
        currency=result.currency,
        lines=tuple(
            QuoteLine(
                description=line["description"],
                quantity=Decimal(line["quantity"]),
                unit_price=Decimal(line["unit_price"]),
                net=money(decided.net_minor),
                category=decided.category.value,
                rate=decided.rate,
            )
            for line, decided in zip(lines, result.lines, strict=True)
        ),
        vat=tuple(
            QuoteVat(
                g.category.value,
                g.rate,
                money(g.taxable_minor),
                money(g.tax_minor),
                g.exemption_text,
            )
            for g in result.groups
        ),
        net=money(result.net_minor),
        vat_total=money(result.vat_minor),
        gross=gross,
        paid=Decimal(0),
        due=gross,
        methods=methods(svc, result.currency),
        needs_buyer=buyer is None or not buyer.complete,
        reverse_charge=any(g.category.value == REVERSE_CHARGE for g in result.groups),
        notes=notes,
    )
