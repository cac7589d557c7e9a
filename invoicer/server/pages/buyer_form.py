"""The basket's buyer form: its fields in the buyer's words, the countries to choose from, and
the posted values read back (trimmed, bounded). Whether they are right is the checkout
service's to say; its problems come back to the form by field name."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from invoicer.domain.errors import Problem, ValidationError
from invoicer.server.pages.i18n import Words, msg
from invoicer.server.pages.model import BuyerForm

INVALID_CHARACTER = msg("This contains a character that cannot be used.")
TOO_LONG = msg("This is too long (at most 200 characters).")
# name, label, input type, autocomplete token, required
FIELDS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("name", msg("Name or company"), "text", "name", True),
    ("email", msg("E-mail address"), "email", "email", True),
    ("street", msg("Street and number"), "text", "street-address", True),
    ("postcode", msg("Postcode"), "text", "postal-code", True),
    ("city", msg("City"), "text", "address-level2", True),
    ("country", msg("Country"), "country", "country", True),
    ("vat_number", msg("VAT number"), "text", "off", False),
)
NAMES = tuple(name for name, *_ in FIELDS)
MAX_LENGTH = 200
# Babel's territories include regions ("150" Europe), "EU", "UN" and unknown "ZZ".
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


def fields(words: Words) -> list[tuple[str, str, str, str, bool]]:
    return [(n, words.gettext(label), kind, auto, req) for n, label, kind, auto, req in FIELDS]


@functools.cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    from babel import Locale

    words = Words(language)
    names = Locale.parse(words.locale).territories
    found = [
        (code, str(name))
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(found, key=lambda pair: pair[1].casefold()))


def read(posted: Mapping[str, object]) -> tuple[dict[str, str], list[Problem]]:
    """The form's own fields, trimmed (anything else posted is ignored), and what is wrong
    with them as text before any rule looks at them: a NUL or a novel's length."""
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for name in NAMES:
        raw = posted.get(name, "")
        text = raw.strip() if isinstance(raw, str) else ""
        if "\x00" in text:
            problems.append(Problem(name, "invalid_character", INVALID_CHARACTER))
            text = text.replace("\x00", "")
        if len(text) > MAX_LENGTH:
            problems.append(Problem(name, "too_long", TOO_LONG))
            text = text[:MAX_LENGTH]
        values[name] = text
    values["country"] = values["country"].upper()
    values["vat_number"] = values["vat_number"].replace(" ", "").upper()
    return values, problems


def refused(values: dict[str, str], error: ValidationError, words: Words) -> BuyerForm:
    """The form again with the problems beside the fields they name, in the buyer's language
    where the catalog has the sentence (the services write English)."""
    errors: dict[str, str] = {}
    general: list[str] = []
    for problem in error.problems:
        name = problem.field.rsplit(".", 1)[-1] if problem.field else ""
        if name in NAMES:
            errors.setdefault(name, words.gettext(problem.message))
        else:
            general.append(words.gettext(problem.message))
    return BuyerForm(values=values, errors=errors, message=" ".join(general) or None)
