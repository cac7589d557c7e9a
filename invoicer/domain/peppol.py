"""Peppol participant ids: the electronic address (BT-34 seller, BT-49 buyer) a Peppol access
point delivers to, written `SCHEME:VALUE` with SCHEME from the EAS code list Peppol accepts
(bundled as resources/peppol/eas.json, taken from the BIS Billing 3.0 rules, release 2026.5).

Where a party has no id of its own, one is derived from its VAT number for the Member States
whose Peppol scheme *is* the VAT number (9930 Germany, 9944 the Netherlands, ...; Belgium's
0208 enterprise number is its VAT number's digits). The table is `vat_number_schemes` in the
same file, documented in docs/einvoices.md. Elsewhere (the Nordic organisation numbers,
Italy, GLNs) the merchant fills it in.

>>> participant_id(" 0208:0403019261 ")
('0208', '0403019261')
>>> from_vat_number("DE136695976")
('9930', 'DE136695976')
"""

from __future__ import annotations

import functools
import json
from typing import NoReturn

from stdnum import ean
from stdnum.be import vat as be_vat

from invoicer.domain.errors import ValidationError
from invoicer.domain.vat import numbers
from invoicer.resources import read_text

EXAMPLE = "0208:0403019261"
_BELGIAN_ENTERPRISE = "0208"
_MAX_VALUE = 135  # Peppol's participant identifier value limit (Policy for use of identifiers)


@functools.cache
def _code_list() -> dict[str, dict[str, str]]:
    data = json.loads(read_text("peppol", "eas.json"))
    return {"codes": data["codes"], "vat": data["vat_number_schemes"]}


def schemes() -> dict[str, str]:
    """EAS code -> name, every scheme Peppol accepts."""
    return dict(_code_list()["codes"])


def vat_number_schemes() -> dict[str, str]:
    """VAT prefix -> the EAS code whose identifier is that country's VAT number."""
    return dict(_code_list()["vat"])


def participant_id(text: str, *, field: str = "peppol_id") -> tuple[str, str]:
    """(scheme, value) from `SCHEME:VALUE`, checked against the code list and, where the scheme
    has one, the identifier's own check digits; a ValidationError naming `field` otherwise."""
    scheme, sep, value = text.strip().partition(":")
    scheme, value = scheme.strip(), value.strip()
    if not sep or not value:
        _refuse(
            field, "format", f"{text!r} is not a Peppol id: write SCHEME:VALUE, e.g. {EXAMPLE}."
        )
    if scheme not in _code_list()["codes"]:
        _refuse(
            field,
            "unknown_scheme",
            f"{scheme!r} is not a Peppol electronic address scheme (EAS), such as 0208 (Belgian "
            "enterprise number), 0088 (GLN), 0106 (Dutch KvK) or 9944 (Dutch VAT number).",
        )
    if len(value) > _MAX_VALUE or any(ch.isspace() or not ch.isprintable() for ch in value):
        _refuse(field, "format", f"{value!r} is not a Peppol identifier value.")
    _check_value(scheme, value, field)
    return scheme, value


def _check_value(scheme: str, value: str, field: str) -> None:
    if scheme == "0088" and not ean.is_valid(value):
        _refuse(field, "invalid", f"{value!r} is not a valid GLN (13 digits with a check digit).")
    if scheme == "0208" and not be_vat.is_valid(value):
        _refuse(field, "invalid", f"{value!r} is not a valid Belgian enterprise number.")
    prefix = _vat_prefix_of(scheme)
    if prefix and (not numbers.is_valid(value) or numbers.prefix_of(value) != prefix):
        _refuse(
            field,
            "invalid",
            f"Scheme {scheme} is the {prefix} VAT number: {value!r} is not a valid one "
            f"(write it with its prefix, e.g. {prefix}...).",
        )


def _vat_prefix_of(scheme: str) -> str | None:
    """The VAT prefix whose numbers, prefix included, are the ids of `scheme`."""
    for prefix, code in _code_list()["vat"].items():
        if code == scheme and code != _BELGIAN_ENTERPRISE:
            return prefix
    return None


def from_vat_number(vat_number: str | None) -> tuple[str, str] | None:
    """The participant id a VAT number gives, where the country's Peppol scheme is the VAT
    number; None for other countries and for a missing or invalid number."""
    if not vat_number or not numbers.is_valid(vat_number):
        return None
    compact = numbers.compact(vat_number)
    scheme = _code_list()["vat"].get(compact[:2])
    if scheme == _BELGIAN_ENTERPRISE:
        return scheme, compact[2:]  # the enterprise number is the VAT number's digits
    return (scheme, compact) if scheme else None


def endpoint(peppol_id: str | None, vat_number: str | None) -> tuple[str, str] | None:
    """A party's electronic address: its own Peppol id, else the one its VAT number gives."""
    if peppol_id:
        return participant_id(peppol_id)
    return from_vat_number(vat_number)


def _refuse(field: str, code: str, message: str) -> NoReturn:
    raise ValidationError.single(field, code, message)
