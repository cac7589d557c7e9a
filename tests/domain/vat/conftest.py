from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from invoicer.domain.vat.engine import quote
from invoicer.domain.vat.model import (
    BuyerVat,
    LineSpec,
    Quote,
    QuoteRequest,
    RateClass,
    SellerVat,
    SupplyKind,
)

NL_VAT = "NL004495445B01"
DE_VAT = "DE136695976"
BE_VAT = "BE0403170701"
EL_VAT = "EL094501040"
XI_VAT = "XI980780684"
FR_VAT = "FR40303265045"


def line(
    price: str = "100",
    qty: str = "1",
    supply: SupplyKind = SupplyKind.GOODS,
    rate_class: RateClass = RateClass.STANDARD,
    **kw: Any,
) -> LineSpec:
    return LineSpec(Decimal(qty), Decimal(price), rate_class, supply, **kw)


def make_quote(
    *,
    buyer: BuyerVat,
    lines: tuple[LineSpec, ...] = (line(),),
    seller: SellerVat | None = None,
    on: dt.date = dt.date(2026, 3, 2),
    currency: str = "EUR",
    **kw: Any,
) -> Quote:
    return quote(
        QuoteRequest(
            seller=seller or SellerVat("NL", NL_VAT),
            buyer=buyer,
            supply_date=on,
            currency=currency,
            lines=lines,
            **kw,
        )
    )
