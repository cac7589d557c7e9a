"""Typed inputs of the services' write methods.

The same models are the server's request bodies and the assistant's tool schemas
(`Model.model_json_schema()`). They fix which fields a write takes and document them; the
services check the values (see base.py for why).
"""

from invoicer.services.commands.base import Command
from invoicer.services.commands.checkout import BasketLine, Buyer, NewCheckout
from invoicer.services.commands.customers import CustomerChanges, NewCustomer
from invoicer.services.commands.invoices import DraftChanges, LineChanges, NewDraft, NewLine
from invoicer.services.commands.mail import (
    MailTemplateChanges,
    SendInvoice,
    SendQuote,
    SendReminders,
)
from invoicer.services.commands.payments import (
    CryptoRequest,
    CryptoTransaction,
    NewCreditNote,
    NewPaymentRequest,
    RecordPayment,
)
from invoicer.services.commands.products import NewProduct, ProductChanges
from invoicer.services.commands.quotes import ConvertQuote, NewQuote
from invoicer.services.commands.recurring import NewRecurring, RecurringChanges
from invoicer.services.commands.settings import SettingsChanges
from invoicer.services.commands.shop import ShopProfileChanges

__all__ = [
    "BasketLine",
    "Buyer",
    "Command",
    "ConvertQuote",
    "CryptoRequest",
    "CryptoTransaction",
    "CustomerChanges",
    "DraftChanges",
    "LineChanges",
    "MailTemplateChanges",
    "NewCheckout",
    "NewCreditNote",
    "NewCustomer",
    "NewDraft",
    "NewLine",
    "NewPaymentRequest",
    "NewProduct",
    "NewQuote",
    "NewRecurring",
    "ProductChanges",
    "RecordPayment",
    "RecurringChanges",
    "SendInvoice",
    "SendQuote",
    "SendReminders",
    "SettingsChanges",
    "ShopProfileChanges",
]
