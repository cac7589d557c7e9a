"""Hosted checkout (issue 21): a buyer pays an issued invoice, or a basket whose invoice is
issued when the order is placed, on the server's page; whatever reports the payment first
(a webhook, the success page, the chain watcher) books it once.

Every function takes the shop's `Services`; `shop_of` is the one lookup across shops, by a
session's unguessable id, for callers with no signed-in user.
"""

from invoicer.services.checkout.model import (
    BankTransfer,
    BuyerDetails,
    CheckoutQuote,
    CheckoutView,
    CryptoRequest,
    QuoteLine,
    QuoteVat,
)
from invoicer.services.checkout.paying import (
    bank_transfer,
    booked_payment,
    complete,
    crypto,
    methods,
    open_session,
    quote,
    refresh,
    set_buyer,
    start_card,
)
from invoicer.services.checkout.sessions import cancel, create, get, shop_of

__all__ = [
    "BankTransfer",
    "BuyerDetails",
    "CheckoutQuote",
    "CheckoutView",
    "CryptoRequest",
    "QuoteLine",
    "QuoteVat",
    "bank_transfer",
    "booked_payment",
    "cancel",
    "complete",
    "create",
    "crypto",
    "get",
    "methods",
    "open_session",
    "quote",
    "refresh",
    "set_buyer",
    "shop_of",
    "start_card",
]
