"""Payments received, credit notes and the payment requests offered on an invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, SkipValidation, WithJsonSchema

from invoicer.services.commands.base import Command, Day, Flag, Number, Text

# What a provider reports about a payment (payer, transaction hash, fees...), kept with it.
Details = Annotated[
    SkipValidation[dict[str, str | int | bool | None] | None],
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [
                            {"type": "string"},
                            {"type": "integer"},
                            {"type": "boolean"},
                            {"type": "null"},
                        ]
                    },
                },
                {"type": "null"},
            ]
        }
    ),
]


class RecordPayment(Command):
    """A payment received against an issued invoice."""

    required = ("amount",)

    amount: Number = Field(
        None,
        description="Amount received in the invoice currency, an exact decimal as typed in "
        'the invoice\'s locale (e.g. "150.00"); above zero.',
    )
    date: Day = Field(None, description="Date received; default today.")
    method: Text = Field("bank_transfer", description="bank_transfer, card, crypto, cash or other.")
    reference: Text = Field(None, description="Bank reference, receipt number, transaction id...")
    overpayment: Flag = Field(
        False, description="Accept an amount above the balance (recorded as an overpayment)."
    )
    external_id: Text = Field(
        None,
        description="The payment's id at its source (bank entry, Stripe intent, transaction "
        "hash); the same one is never booked twice.",
    )
    details: Details = Field(None, description="What the payment's source reported about it.")


class NewCreditNote(Command):
    """A credit note for an issued invoice, issued at once."""

    lines: Annotated[
        SkipValidation[dict[str, Decimal | str | int] | None],
        WithJsonSchema(
            {
                "anyOf": [
                    {
                        "type": "object",
                        "additionalProperties": {
                            "anyOf": [{"type": "string"}, {"type": "integer"}]
                        },
                    },
                    {"type": "null"},
                ]
            }
        ),
    ] = Field(
        None,
        description="Quantity to credit per line id (exact decimals); none: everything not "
        "yet credited.",
    )
    reason: Text = Field(None, description="Why, printed on the credit note.")


class NewPaymentRequest(Command):
    """A payment request a provider made for an invoice (a Stripe link, a crypto request)."""

    required = ("provider", "external_id", "url", "amount_minor", "currency")

    provider: SkipValidation[str] = Field(description="stripe or crypto.")
    external_id: SkipValidation[str] = Field(description="The request's id at the provider.")
    url: SkipValidation[str] = Field(description="Where the customer pays (link or EIP-681 URI).")
    amount_minor: SkipValidation[int] = Field(
        description="Amount asked, in minor units of the currency (cents)."
    )
    currency: SkipValidation[str] = Field(description="Currency of the amount (ISO 4217).")
    details: Details = Field(None, description="What the provider needs to check the payment.")


class CryptoRequest(Command):
    """An EIP-681 payment request for an invoice's balance, in a coin the shop accepts."""

    required = ("asset",)

    asset: Text = Field(
        None, description="The coin to be paid in: ETH or a token of the crypto_assets setting."
    )
    rate: Number = Field(
        None,
        description="For a coin that follows no currency (ETH): units of the invoice currency "
        'per coin, an exact decimal such as "3120.50".',
    )


class CryptoTransaction(Command):
    """A transaction to verify on chain and book as a payment of the invoice."""

    required = ("tx_hash",)

    tx_hash: Text = Field(None, description="The transaction hash: 0x followed by 64 hex digits.")
    request_id: Text = Field(
        None, description="The payment request it pays; default: the invoice's latest."
    )
