"""VAT-number checks against VIES, recorded with the customer as proof (IR 282/2011 Art. 18)."""

from __future__ import annotations

import datetime as dt

from invoicer.domain.errors import ValidationError
from invoicer.integrations.vies import ViesResult, check_vat
from invoicer.services import views
from invoicer.services.app import Services
from invoicer.services.settings import Settings


def check_number(
    number: str, svc: Services | None = None, settings: Settings | None = None
) -> ViesResult:
    """Check any number (the shop's own number is sent as requester when there is a shop),
    with `settings` or else those of the services' context (one of them is needed)."""
    if settings is None:
        if svc is None:
            raise TypeError("check_number needs the services or the settings")
        settings = svc.ctx.require_settings()
    shop = svc.shop.get() if svc is not None else None
    return check_vat(
        number,
        requester=shop.vat_number if shop else None,
        url=settings.vies_url,
        timeout=settings.vies_timeout_seconds,
        retries=settings.vies_retries,
    )


def check_customer(
    svc: Services, customer_id: str, settings: Settings | None = None
) -> tuple[views.Customer, ViesResult]:
    """Check a customer's number and store the answer (valid or not) with the customer.

    A fault (VIES down, busy, ...) raises and stores nothing: it never becomes "valid".
    """
    customer = svc.customers.get(customer_id)
    if not customer.vat_number:
        raise ValidationError.single(
            "vat_number", "missing", f"{customer.name} has no VAT number to check."
        )
    result = check_number(customer.vat_number, svc, settings)
    updated = svc.customers.record_vies_check(
        customer.id,
        result.valid,
        result.checked_at,
        result.name,
        result.address,
        result.request_id,
    )
    return updated, result


def is_verified(customer: views.Customer, max_age_days: int, today: dt.date) -> bool:
    checked = customer.vies_checked_at
    return bool(customer.vies_valid and checked and (today - checked.date()).days <= max_age_days)
