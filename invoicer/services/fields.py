"""Checking what a user typed: one `Fields` collects every problem, then raises them together.

Each checker returns the clean value (or None) and records a Problem naming the field in the
user's terms. Services call `fields.done()` before touching the database, so a refused call
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from invoicer.domain import limits, peppol
from invoicer.domain.amounts import DEFAULT_LOCALE
from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.money import currency as iso_currency
from invoicer.domain.money import parse_decimal
from invoicer.domain.parsing import parse_date, parse_quantity
from invoicer.domain.vat import numbers
from invoicer.domain.vat.model import RateClass, SupplyKind
from invoicer.domain.vat.rates import EU_MEMBER_STATES
from invoicer.domain.vat.wording import LANGUAGES

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UNIT_CODE = re.compile(r"^[A-Z0-9]{2,3}$")  # UN/ECE Recommendation 20 codes


def label(field: str) -> str:
    return field.replace("_", " ").capitalize()


T = TypeVar("T")


def check_text(value: str, field: str, *, multiline: bool = False) -> Problem | None:
    """The problem with a text that holds a control character (None if it has none).

    One rule for every text the user types or imports: NUL, escape and the other control
    characters cannot go into an e-invoice's XML, so they never reach the database. A
    multi-line field (notes, an address's street lines) keeps tab and line breaks."""
    found = limits.control_character(value, multiline=multiline)
    if found is None:
        return None
    allowed = " (tab and line breaks are allowed)" if multiline else ""
    return Problem(
        field,
        "control_character",
        f"{label(field)} contains a control character ({found}), which cannot be stored or "
        f"written into an e-invoice; remove it{allowed}.",
    )


class Fields:
    """`locale` (a Babel locale: the document's or the user's) words the messages about
    numbers; text is read the same in every locale (invoicer.domain.amounts)."""

    def __init__(
        self, data: Mapping[str, Any], allowed: Iterable[str], *, locale: str = DEFAULT_LOCALE
    ) -> None:
        self.data = data
        self.locale = locale
        self.problems: list[Problem] = []
        for key in sorted(set(data) - set(allowed)):
            self.add(key, "unknown_field", f"{label(key)} is not a field that can be set here.")

    def add(self, field: str, code: str, message: str) -> None:
        self.problems.append(Problem(field, code, message))

    def done(self) -> None:
        if self.problems:
            raise ValidationError(self.problems)

    def has(self, key: str) -> bool:
        return key in self.data

    # --- checkers ---------------------------------------------------------------------

    def within(self, key: str, value: T | None, check: Callable[..., Any]) -> T | None:
        """`value` if the domain `check` (one of domain.limits) accepts it, else a problem."""
        if value is None:
            return None
        try:
            checked: T = check(value, field=key)
        except ValidationError as exc:
            self.problems.extend(Problem(key, p.code, p.message) for p in exc.problems)
            return None
        return checked

    def text(
        self, key: str, *, required: bool = False, max_len: int = 500, multiline: bool = False
    ) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(key, "required", f"{label(key)} is required.")
            return None
        if not isinstance(value, str):
            self.add(key, "not_text", f"{label(key)} must be text.")
            return None
        value = value.strip()
        if multiline:
            value = value.replace("\r\n", "\n")
        problem = check_text(value, key, multiline=multiline)
        if problem is not None:
            self.problems.append(problem)
            return None
        if len(value) > max_len:
            self.add(key, "too_long", f"{label(key)} is longer than {max_len} characters.")
        return value

    def country(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required, max_len=2 + 10)
        if value is None:
            return None
        code = value.upper()
        import pycountry

        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            self.add(
                key, "unknown_country", f"{value!r} is not a two-letter country code (ISO 3166)."
            )
            return None
        return code

    def vat_number(self, key: str, *, country: str | None) -> str | None:
        """EU (and XI) numbers are checked offline; other countries' tax ids are kept."""
        value = self.text(key)
        if value is None:
            return None
        compact = numbers.compact(value)
        eu_number = country in EU_MEMBER_STATES or (country == "GB" and compact[:2] == "XI")
        if country is not None and not eu_number:
            return compact
        try:
            normalised = numbers.normalize(value, field=key)
        except ValidationError as exc:
            self.problems.extend(exc.problems)
            return None
        if country and numbers.country_of(normalised) != country:
            self.add(key, "country_mismatch", f"VAT number {normalised} is not from {country}.")
        return normalised

    def peppol_id(self, key: str) -> str | None:
        """`SCHEME:VALUE` with a scheme Peppol accepts, stored in that canonical form."""
        value = self.text(key, max_len=160)
        if value is None:
            return None
        try:
            scheme, ident = peppol.participant_id(value, field=key)
        except ValidationError as exc:
            self.problems.extend(exc.problems)
            return None
        return f"{scheme}:{ident}"

    def email(self, key: str) -> str | None:
        value = self.text(key, max_len=254)
        if value is not None and not _EMAIL.match(value):
            self.add(key, "invalid_email", f"{value!r} is not an e-mail address.")
        return value

    def iban(self, key: str) -> str | None:
        value = self.text(key, max_len=42)
        if value is None:
            return None
        from schwifty import IBAN

        try:
            return str(IBAN(value).compact)
        except ValueError as exc:
            self.add(key, "invalid_iban", f"{value!r} is not a valid IBAN ({exc}).")
            return None

    def bic(self, key: str) -> str | None:
        value = self.text(key, max_len=11)
        if value is None:
            return None
        from schwifty import BIC

        try:
            return str(BIC(value).compact)
        except ValueError as exc:
            self.add(key, "invalid_bic", f"{value!r} is not a valid BIC ({exc}).")
            return None

    def currency(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required, max_len=3 + 10)
        if value is None:
            return None
        try:
            return iso_currency(value, field=key).code
        except ValidationError as exc:
            self.problems.extend(exc.problems)
            return None

    def language(self, key: str) -> str | None:
        value = self.text(key, max_len=5)
        if value is not None and value.lower() not in LANGUAGES:
            self.add(
                key, "unsupported_language", f"Language must be one of {', '.join(LANGUAGES)}."
            )
            return None
        return value.lower() if value else None

    def decimal(
        self,
        key: str,
        *,
        required: bool = False,
        allow_negative: bool = True,
        allow_zero: bool = True,
        max_places: int | None = None,
        blank_is_unset: bool = True,
    ) -> Decimal | None:
        """The number typed for `key` (None if not given). Blank text means "not given" (so
        "clear it" for optional values) unless `blank_is_unset` is False: then it is refused,
        so `--quantity ''` is never silently the default quantity."""
        value = self.data.get(key)
        blank = isinstance(value, str) and not value.strip()
        if value is None or (blank and (required or blank_is_unset)):
            if required:
                self.add(key, "required", f"{label(key)} is required.")
            return None
        try:
            return parse_decimal(
                value,
                field=label(key),
                allow_negative=allow_negative,
                allow_zero=allow_zero,
                max_places=max_places,
                locale=self.locale,
            )
        except ValidationError as exc:
            self.problems.extend(
                Problem(key, problem.code, problem.message) for problem in exc.problems
            )
            return None

    def integer(self, key: str, *, minimum: int = 0, maximum: int = 3650) -> int | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            self.add(
                key, "invalid", f"{label(key)} must be a whole number from {minimum} to {maximum}."
            )
            return None
        return number

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(key, "not_boolean", f"{label(key)} must be yes or no.")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None  # not given: blank clears an optional date
        return self.within(key, value, parse_date)

    def quantity(self, key: str) -> Decimal | None:
        """The quantity typed for `key` (None if not given; blank text is refused)."""
        value = self.data.get(key)
        if value is None:
            return None
        return self.within(key, value, functools.partial(parse_quantity, locale=self.locale))

    def choice(self, key: str, choices: Iterable[str]) -> str | None:
        value = self.text(key)
        options = list(choices)
        if value is not None and value not in options:
            self.add(key, "unknown_value", f"{label(key)} must be one of {', '.join(options)}.")
            return None
        return value

    def rate_class(self, key: str) -> str | None:
        return self.choice(key, [c.value for c in RateClass])

    def supply_kind(self, key: str) -> str | None:
        return self.choice(key, [k.value for k in SupplyKind])

    def unit_code(self, key: str) -> str | None:
        value = self.text(key, max_len=3)
        if value is not None and not _UNIT_CODE.match(value.upper()):
            self.add(key, "invalid_unit", f"{value!r} is not a UN/ECE Recommendation 20 unit code.")
            return None
        return value.upper() if value else None
