"""VAT rates per country and period, read from the bundled resources/vat/rates.json.

Updating rates is a data change: add a period to the file (scripts/build-vat-rates records
where each correction comes from). The table also knows the territories that are outside
the EU VAT area (Art. 6 of Directive 2006/112/EC) and each Member State's national currency.

>>> import datetime as dt
>>> table = default_rate_table()
>>> table.rate("NL", RateClass.REDUCED, dt.date(2018, 12, 31))
Decimal('6')
>>> table.rate("NL", RateClass.REDUCED, dt.date(2019, 1, 1))
Decimal('9')
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from invoicer.domain.errors import ValidationError
from invoicer.domain.vat.model import RateClass
from invoicer.resources import read_text

# EU Member States (ISO 3166-1 alpha-2; Greece is GR here, EL only in VAT numbers).
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)

# When a country has no rate of the requested class, the next class in this chain applies;
# a country without reduced rates (Denmark) taxes everything at the standard rate.
# LineSpec.rate_class_by_country overrides the class per country where the scope differs.
_FALLBACK: Mapping[RateClass, RateClass] = {
    RateClass.SUPER_REDUCED: RateClass.REDUCED2,
    RateClass.REDUCED2: RateClass.REDUCED,
    RateClass.REDUCED: RateClass.STANDARD,
    RateClass.PARKING: RateClass.STANDARD,
}


@dataclass(frozen=True, slots=True)
class Territory:
    """A region with its own VAT status, recognised by its postcode."""

    country: str
    name: str
    postcode: re.Pattern[str]
    outside_eu_vat: bool  # Art. 6: treated as a third territory (export / outside scope)
    standard: Decimal | None  # a regional standard rate inside the EU VAT area (Madeira)


@dataclass(frozen=True, slots=True)
class _Period:
    start: dt.date
    rates: Mapping[RateClass, Decimal]


def _date(text: str) -> dt.date:
    return dt.date.min if text.startswith("0000") else dt.date.fromisoformat(text)


class RateTable:
    """Rates by (country, rate class, date), territories and national currencies."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._periods: dict[str, tuple[_Period, ...]] = {}
        self._territories: dict[str, tuple[Territory, ...]] = {}
        for code, entry in data["countries"].items():
            periods = [
                _Period(_date(p["from"]), {RateClass(k): Decimal(v) for k, v in p["rates"].items()})
                for p in entry["periods"]
            ]
            self._periods[code] = tuple(sorted(periods, key=lambda p: p.start, reverse=True))
            self._territories[code] = tuple(
                Territory(
                    code,
                    t["name"],
                    re.compile(t["postcode"]),
                    bool(t["outside_eu_vat"]),
                    Decimal(t["standard"]) if "standard" in t else None,
                )
                for t in entry["territories"]
            )
        self._currencies: dict[str, tuple[tuple[dt.date, str], ...]] = {
            code: tuple(sorted(((_date(p["from"]), p["currency"]) for p in periods), reverse=True))
            for code, periods in data["national_currencies"].items()
        }

    @classmethod
    def from_json(cls, text: str) -> RateTable:
        return cls(json.loads(text))

    def countries(self) -> frozenset[str]:
        return frozenset(self._periods)

    def _period(self, country: str, on: dt.date) -> _Period:
        periods = self._periods.get(country)
        if periods is None:
            raise ValidationError.single(
                "country", "no_rates", f"No VAT rates are known for country {country!r}."
            )
        for period in periods:
            if period.start <= on:
                return period
        raise ValidationError.single(
            "supply_date", "no_rates", f"No VAT rates are known for {country} on {on.isoformat()}."
        )

    def rate(self, country: str, rate_class: RateClass, on: dt.date) -> Decimal:
        """The rate in percent; ZERO and EXEMPT classes are 0 everywhere."""
        if rate_class in (RateClass.ZERO, RateClass.EXEMPT):
            return Decimal(0)
        rates = self._period(country, on).rates
        while rate_class not in rates:
            rate_class = _FALLBACK[rate_class]
        return rates[rate_class]

    def territory(self, country: str, postcode: str | None) -> Territory | None:
        """The special territory a postcode lies in, if any.

        >>> default_rate_table().territory("ES", "35001").name
        'Canary Islands'
        >>> default_rate_table().territory("ES", "28001") is None
        True
        """
        if not postcode:
            return None
        compact = re.sub(r"[\s-]", "", postcode)
        for territory in self._territories.get(country, ()):
            if territory.postcode.fullmatch(compact):
                return territory
        return None

    def national_currency(self, country: str, on: dt.date) -> str:
        """The currency VAT is declared in (Art. 230); the euro unless the file says otherwise."""
        for start, code in self._currencies.get(country, ()):
            if start <= on:
                return code
        return "EUR"


@functools.cache
def default_rate_table() -> RateTable:
    """The bundled rate table, parsed once per process."""
    return RateTable.from_json(read_text("vat", "rates.json"))
