"""Every sentence of the checkout pages is in the Dutch, German and French catalogs, with
the same placeholders, and the pages pick the buyer's language."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from invoicer.server.pages.i18n import Words, choose
from tests.conftest import REPO_ROOT

TEMPLATES = REPO_ROOT / "resources" / "checkout"
CODE = REPO_ROOT / "invoicer" / "server" / "pages"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def page_messages() -> set[str]:
    from jinja2.ext import babel_extract

    found: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        options = {"extensions": "jinja2.ext.i18n"}
        found.update(m[1] for m in extract_from_file(babel_extract, template, options=options))
    for module in CODE.glob("*.py"):
        keywords = {"msg": None, "gettext": None}
        found.update(m[1] for m in extract_from_file("python", module, keywords=keywords))
    return {m for m in found if isinstance(m, str)}


def test_the_pages_have_words_to_translate() -> None:
    messages = page_messages()
    assert "Pay by card" in messages  # a template's
    assert "Name or company" in messages  # a form label in code
    assert "QR code for a SEPA transfer" in messages  # a gettext call in code
    assert len(messages) > 60


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_every_page_sentence_is_translated(language: str) -> None:
    po = REPO_ROOT / "resources" / "locale" / language / "LC_MESSAGES" / "invoicer.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in sorted(page_messages()):
        entry = catalog.get(message)
        if entry is None or not entry.string:
            missing.append(message)
            continue
        assert set(PLACEHOLDER.findall(str(entry.string))) == set(PLACEHOLDER.findall(message))
    assert missing == []
    words = Words(language)
    assert words.gettext("Pay by card") != "Pay by card"  # the compiled .mo has them too


def test_the_language_is_the_buyers() -> None:
    assert choose(None, None, "nl-BE,nl;q=0.9,en;q=0.8") == "nl"
    assert choose(None, None, "es-ES,fr;q=0.4,de;q=0.7") == "de"
    assert choose("FR", "de", "nl") == "fr"  # the page's own switcher wins
    assert choose(None, "de", "nl") == "de"  # the merchant's choice for this buyer
    assert choose(None, None, "de;q=0,nl;q=oops,*") == "en"  # refused or unreadable
    assert choose(None, "xx", "x" * 10_000) == "en"
    assert choose(None, None, ",".join(["fr"] * 5000)) == "fr"  # long, still cheap


def test_money_and_numbers_in_the_buyers_notation() -> None:
    assert Words("de").money(123456, "EUR") == "1.234,56 EUR"
    assert Words("en").money(1000, "JPY") == "1,000 JPY"
    assert Words("fr").country("DE") == "Allemagne"


def test_templates_are_found_as_package_resources() -> None:
    from invoicer.resources import resource

    assert resource("checkout", "pay.html").is_file()
    assert resource("checkout", "checkout.css").is_file()
