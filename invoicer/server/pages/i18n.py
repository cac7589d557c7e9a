"""The page's language and its words: en/nl/de/fr from the project's gettext catalogs
(resources/locale, the same catalog as the invoice documents), numbers and money written the
way that language writes them (invoicer.domain.amounts)."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from decimal import Decimal

from invoicer.domain.amounts import LOCALES, format_money
from invoicer.domain.money import currency, from_minor
from invoicer.resources import resource

LANGUAGES = ("en", "nl", "de", "fr")
NAMES = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français"}


def msg(message: str) -> str:
    """Marks a message for the catalog; it is translated where it is shown (the catalog
    test finds every marked message and asks nl, de and fr for it)."""
    return message


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    mo = resource("locale", language, "LC_MESSAGES", "invoicer.mo")
    if language not in LANGUAGES or language == "en" or not mo.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))


def choose(asked: str | None, session: str | None, accept_language: str | None) -> str:
    """?lang= first (the buyer clicked it), then the language the merchant gave the session
    (they know their buyer), then the browser's preference, then English.

    >>> choose(None, None, "de-CH,de;q=0.9,en;q=0.5"), choose("fr", "nl", "de")
    ('de', 'fr')
    >>> choose("xx", None, ""), choose(None, "nl", "fr")
    ('en', 'nl')
    """
    for candidate in (asked, session):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return _from_header(accept_language or "")


def _from_header(header: str) -> str:
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:20]):  # a hostile header stays cheap
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "en"


class Words:
    """What a template writes in one language: gettext and the number formats."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.locale = LOCALES[self.language]
        self.gettext = translations(self.language).gettext

    def money(self, minor: int, code: str) -> str:
        return format_money(from_minor(minor, currency(code)), code, locale=self.locale)

    def decimal_money(self, value: Decimal, code: str) -> str:
        return format_money(value, code, locale=self.locale)

    def number(self, value: Decimal) -> str:
        from babel.numbers import format_decimal

        text = format_decimal(value.normalize(), locale=self.locale, decimal_quantization=False)
        return str(text)

    def percent(self, rate: Decimal) -> str:
        return f"{self.number(rate)} %"

    def date(self, value: dt.date) -> str:
        from babel.dates import format_date

        return str(format_date(value, format="long", locale=self.locale))

    def country(self, code: str) -> str:
        from babel import Locale

        return str(Locale.parse(self.locale).territories.get(code, code))
