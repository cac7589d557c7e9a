"""What the templates show, already in the buyer's words: the page's own small view of a
checkout, made from the checkout services' answers by `present.py` (the one place that knows
their shapes), so a template never formats money or decides anything."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    address: tuple[str, ...] = ()
    vat_number: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    quantity: str
    unit_price: str
    vat: str  # "21 %", or the category's short name when no VAT is charged
    amount: str


@dataclass(frozen=True, slots=True)
class VatRow:
    label: str
    base: str
    amount: str
    note: str | None = None  # the exemption wording (reverse charge, export, ...)


@dataclass(frozen=True, slots=True)
class Totals:
    net: str
    vat: str
    gross: str
    paid: str | None
    due: str


@dataclass(frozen=True, slots=True)
class BuyerForm:
    """The basket's buyer form: what was typed (or stored) and what was wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None  # a problem not tied to one field


@dataclass(frozen=True, slots=True)
class Checkout:
    id: str
    kind: str  # invoice | basket
    status: str  # open | paid | expired | cancelled
    seller: Party
    buyer: Party | None
    invoice_number: str | None
    lines: tuple[Line, ...]
    vat_rows: tuple[VatRow, ...]
    totals: Totals
    currency: str
    methods: tuple[str, ...]  # card, bank_transfer, crypto: what the shop enabled
    needs_buyer: bool  # a basket without a complete buyer cannot be paid yet
    reverse_charge: bool
    has_pdf: bool


@dataclass(frozen=True, slots=True)
class Bank:
    beneficiary: str
    iban: str
    bic: str | None
    reference: str
    amount: str
    epc_payload: bytes | None


@dataclass(frozen=True, slots=True)
class Crypto:
    uri: str  # the EIP-681 request
    address: str
    amount: str
    asset: str
    chain_id: int
