"""Labels in the document's language (gettext catalogs in resources/locale) and numbers,
dates and money formatted the way that language writes them (Babel)."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from decimal import Decimal

from invoicer.domain.money import currency, from_minor
from invoicer.resources import resource

LANGUAGES = ("en", "nl", "de", "fr")
# Babel locales for each document language (the writing conventions, not the country).
_LOCALES = {"en": "en_IE", "nl": "nl_NL", "de": "de_DE", "fr": "fr_FR"}


@functools.cache
def _catalog(language: str) -> gettext.NullTranslations:
    mo = resource("locale", language, "LC_MESSAGES", "invoicer.mo")
    if language == "en" or not mo.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))


class Labels:
    """gettext for one document language; anything but nl, de, fr prints in English."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.locale = _LOCALES[self.language]
        self._catalog = _catalog(self.language)

    def __call__(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def money(self, minor: int, code: str) -> str:
        from babel.numbers import format_currency

        cur = currency(code)
        return format_currency(
            from_minor(minor, cur),
            cur.code,
            locale=self.locale,
            currency_digits=False,
            format_type="standard",
            decimal_quantization=False,
        )

    def amount(self, minor: int, code: str) -> str:
        """The number alone, with the currency's decimals (for table columns)."""
        from babel.numbers import format_decimal

        cur = currency(code)
        return format_decimal(
            from_minor(minor, cur), format=_pattern(cur.exponent), locale=self.locale
        )

    def number(self, value: Decimal) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)

    def price(self, value: Decimal, code: str) -> str:
        """A unit price: at least the currency's decimals, more when the price has them."""
        from babel.numbers import format_decimal

        exponent = currency(code).exponent
        pattern = _pattern(exponent) + ("#" * 4 if exponent else ".####")
        return format_decimal(value, format=pattern, locale=self.locale)

    def price_money(self, value: Decimal, code: str) -> str:
        """A unit price with its currency: the currency's decimals, more when it has them."""
        from babel.numbers import format_currency

        return format_currency(
            value,
            currency(code).code,
            locale=self.locale,
            currency_digits=True,
            decimal_quantization=False,
        )

    def percent(self, rate: Decimal) -> str:
        return f"{self.number(rate)} %"

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date

        return format_date(
            value, format="long" if self.language != "en" else "d MMMM y", locale=self.locale
        )

    def country(self, code: str) -> str:
        from babel import Locale

        names = Locale.parse(self.locale).territories
        return str(names.get(code, code))


def _pattern(exponent: int) -> str:
    return "#,##0" + ("." + "0" * exponent if exponent else "")
