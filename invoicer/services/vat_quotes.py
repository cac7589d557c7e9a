"""`invoicer vat quote`: one JSON document in, the VAT decision and totals out.

The document format is described in docs/vat-quote.md. Every problem names the field it is
about, with the path a user would write (`lines[2].quantity`), and nothing is guessed: an
unknown key is an error, so a typo never silently changes the VAT.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.money import currency, from_minor, parse_decimal
from invoicer.domain.parsing import parse_date
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

T = TypeVar("T")

_TOP = {
    "seller",
    "buyer",
    "date",
    "currency",
    "exchange_rate",
    "eur_exchange_rate",
    "language",
    "eu_b2c_sales_current_year",
    "eu_b2c_sales_previous_year",
    "lines",
}
_SELLER = {"country", "vat_number", "oss_registered", "oss_opt_in", "small_business"}
_BUYER = {"country", "postcode", "vat_number", "vat_verified", "is_business", "northern_ireland"}
_LINE = {
    "description",
    "quantity",
    "unit_price",
    "rate_class",
    "rate_class_by_country",
    "supply",
    "art59_service",
}


def parse_document(text: str) -> Mapping[str, Any]:
    """JSON text -> a mapping; numbers become exact Decimals (the text as written)."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError.single(
            "",
            "malformed_json",
            f"The input is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
        ) from None
    return _object(document, "")


def request_from_document(document: Mapping[str, Any]) -> QuoteRequest:
    problems: list[Problem] = []

    def get(
        obj: Mapping[str, Any], key: str, path: str, convert: Callable[[Any, str], T], default: Any
    ) -> T:
        field = f"{path}{key}"
        if key not in obj:
            if default is _REQUIRED:
                problems.append(Problem(field, "missing", "This field is required."))
            return default  # type: ignore[no-any-return]
        try:
            return convert(obj[key], field)
        except ValidationError as exc:
            problems.extend(exc.problems)
            return _REQUIRED  # type: ignore[no-any-return]

    _unknown_keys(document, _TOP, "", problems)
    seller_doc = get(document, "seller", "", _as_object, _REQUIRED)
    buyer_doc = get(document, "buyer", "", _as_object, _REQUIRED)
    lines_doc = get(document, "lines", "", _as_list, _REQUIRED)
    seller = buyer = None
    if isinstance(seller_doc, Mapping):
        _unknown_keys(seller_doc, _SELLER, "seller.", problems)
        seller = SellerVat(
            country=get(seller_doc, "country", "seller.", _country, _REQUIRED),
            vat_number=get(seller_doc, "vat_number", "seller.", _optional_text, None),
            oss_registered=get(seller_doc, "oss_registered", "seller.", _bool, False),
            oss_opt_in=get(seller_doc, "oss_opt_in", "seller.", _bool, False),
            small_business=get(seller_doc, "small_business", "seller.", _bool, False),
        )
    if isinstance(buyer_doc, Mapping):
        _unknown_keys(buyer_doc, _BUYER, "buyer.", problems)
        buyer = BuyerVat(
            country=get(buyer_doc, "country", "buyer.", _country, _REQUIRED),
            postcode=get(buyer_doc, "postcode", "buyer.", _optional_text, None),
            vat_number=get(buyer_doc, "vat_number", "buyer.", _optional_text, None),
            vat_verified=get(buyer_doc, "vat_verified", "buyer.", _bool, False),
            is_business=get(buyer_doc, "is_business", "buyer.", _optional_bool, None),
            northern_ireland=get(buyer_doc, "northern_ireland", "buyer.", _bool, False),
        )
    lines: list[LineSpec] = []
    for index, line_doc in enumerate(lines_doc if isinstance(lines_doc, list) else []):
        path = f"lines[{index}]."
        if not isinstance(line_doc, Mapping):
            problems.append(Problem(path[:-1], "not_an_object", f"{path[:-1]} must be an object."))
            continue
        _unknown_keys(line_doc, _LINE, path, problems)
        lines.append(
            LineSpec(
                quantity=get(line_doc, "quantity", path, _quantity, _REQUIRED),
                unit_price=get(line_doc, "unit_price", path, _amount, _REQUIRED),
                rate_class=get(line_doc, "rate_class", path, _enum(RateClass), RateClass.STANDARD),
                supply=get(line_doc, "supply", path, _enum(SupplyKind), SupplyKind.GOODS),
                art59_service=get(line_doc, "art59_service", path, _bool, False),
                rate_class_by_country=get(
                    line_doc, "rate_class_by_country", path, _rate_classes_by_country, ()
                ),
                description=get(line_doc, "description", path, _optional_text, None) or "",
            )
        )
    supply_date = get(document, "date", "", _date, _REQUIRED)
    currency_code = get(document, "currency", "", _currency, _REQUIRED)
    language = get(document, "language", "", _text, "en")
    exchange_rate = get(document, "exchange_rate", "", _rate, None)
    eur_rate = get(document, "eur_exchange_rate", "", _rate, None)
    current = get(document, "eu_b2c_sales_current_year", "", _sales, Decimal(0))
    previous = get(document, "eu_b2c_sales_previous_year", "", _sales, Decimal(0))
    if problems:
        raise ValidationError(problems)
    assert seller is not None  # guaranteed: a missing seller is a problem above
    assert buyer is not None
    return QuoteRequest(
        seller=seller,
        buyer=buyer,
        supply_date=supply_date,
        currency=currency_code,
        lines=tuple(lines),
        language=language,
        exchange_rate=exchange_rate,
        eur_exchange_rate=eur_rate,
        eu_b2c_sales_current_year=current,
        eu_b2c_sales_previous_year=previous,
    )


def quote_document(text: str) -> dict[str, Any]:
    """The whole command: JSON text in, a JSON-ready dict out."""
    request = request_from_document(parse_document(text))
    return quote_to_json(request, quote(request))


def quote_to_json(request: QuoteRequest, result: Quote) -> dict[str, Any]:
    cur = currency(result.currency)

    def amount(minor: int) -> str:
        return str(from_minor(minor, cur))

    req = result.requirements
    accounting = None
    if req.vat_accounting_currency is not None and req.vat_total_accounting_minor is not None:
        accounting = {
            "currency": req.vat_accounting_currency,
            "vat_total": str(
                from_minor(req.vat_total_accounting_minor, currency(req.vat_accounting_currency))
            ),
        }
    return {
        "currency": result.currency,
        "lines": [
            {
                "description": spec.description,
                "net": amount(line.net_minor),
                "category": line.category.value,
                "rate": _percent(line.rate),
                "tax_country": line.tax_country,
            }
            for spec, line in zip(request.lines, result.lines, strict=True)
        ],
        "vat_breakdown": [
            {
                "category": group.category.value,
                "rate": _percent(group.rate),
                "taxable": amount(group.taxable_minor),
                "tax": amount(group.tax_minor),
                "exemption_code": group.exemption_code,
                "exemption_text": group.exemption_text,
            }
            for group in result.groups
        ],
        "net_total": amount(result.net_minor),
        "vat_total": amount(result.vat_minor),
        "gross_total": amount(result.gross_minor),
        "requirements": {
            "buyer_vat_number": req.buyer_vat_number,
            "delivery_date": req.delivery_date,
            "deliver_to_country": req.deliver_to_country,
            "unverified_buyer_vat_number": req.unverified_buyer_vat_number,
            "oss": req.oss,
            "omit_vat_identifiers": req.omit_vat_identifiers,
            "vat_in_accounting_currency": accounting,
            "notes": list(req.notes),
        },
    }


# --- field converters: (value, field path) -> typed value, or ValidationError -------------

_REQUIRED: Any = object()


def _percent(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _unknown_keys(obj: Mapping[str, Any], known: set[str], path: str, out: list[Problem]) -> None:
    for key in sorted(set(obj) - known):
        out.append(Problem(f"{path}{key}", "unknown_field", f"Unknown field {path}{key}."))


def _object(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        name = field or "The input"
        raise ValidationError.single(field, "not_an_object", f"{name} must be a JSON object.")
    return value


def _as_object(value: Any, field: str) -> Mapping[str, Any]:
    return _object(value, field)


def _as_list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError.single(field, "not_a_list", f"{field} must be a list.")
    return value


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError.single(field, "not_text", f"{field} must be a non-empty string.")
    return value.strip()


def _optional_text(value: Any, field: str) -> str | None:
    return None if value is None or value == "" else _text(value, field)


def _country(value: Any, field: str) -> str:
    return _text(value, field).upper()


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.single(field, "not_a_boolean", f"{field} must be true or false.")
    return value


def _optional_bool(value: Any, field: str) -> bool | None:
    return None if value is None else _bool(value, field)


def _date(value: Any, field: str) -> dt.date:
    # The one date parser; a quote may ask about any day the VAT rate data covers.
    return parse_date(_text(value, field), field=field, bounded=False)


def _currency(value: Any, field: str) -> str:
    return currency(_text(value, field), field=field).code


def _number(value: Any, field: str, **kw: Any) -> Decimal:
    # JSON numbers arrive as exact Decimals (parse_float=Decimal); booleans are refused.
    return parse_decimal(value, field=field, **kw)


def _quantity(value: Any, field: str) -> Decimal:
    return _number(value, field, allow_negative=False, allow_zero=False)


def _amount(value: Any, field: str) -> Decimal:
    return _number(value, field)


def _rate(value: Any, field: str) -> Decimal | None:
    return None if value is None else _number(value, field, allow_negative=False, allow_zero=False)


def _sales(value: Any, field: str) -> Decimal:
    return _number(value, field, allow_negative=False)


def _rate_classes_by_country(value: Any, field: str) -> tuple[tuple[str, RateClass], ...]:
    pairs = _object(value, field)
    to_class = _enum(RateClass)
    return tuple(
        (_country(country, field), to_class(name, f"{field}.{country}"))
        for country, name in sorted(pairs.items())
    )


def _enum(kind: type[RateClass] | type[SupplyKind]) -> Callable[[Any, str], Any]:
    def convert(value: Any, field: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise ValidationError.single(
                field, "unknown_value", f"{field} must be one of {choices}, not {value!r}."
            ) from None

    return convert
