"""Templates to responses: one Jinja2 environment per language (autoescaped, gettext from the
catalogs), templates read through invoicer.resources so a wheel or a bundle finds them."""

from __future__ import annotations

import functools
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from invoicer.resources import resource
from invoicer.server.pages.headers import page_headers
from invoicer.server.pages.i18n import LANGUAGES, NAMES, Words, translations

TEMPLATES = "checkout"


def _load(name: str) -> str | None:
    found = resource(TEMPLATES, *name.split("/"))
    return found.read_text(encoding="utf-8") if found.is_file() else None


@functools.cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FunctionLoader(_load),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt name fails the tests, not the buyer silently
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(
    template: str,
    language: str,
    *,
    status: int = 200,
    form_targets: tuple[str, ...] = (),
    **values: Any,
) -> HTMLResponse:
    words = Words(language)
    html = (
        environment(words.language)
        .get_template(template)
        .render(lang=words.language, languages=LANGUAGES, language_names=NAMES, w=words, **values)
    )
    return HTMLResponse(html, status_code=status, headers=page_headers(form_targets))


def stylesheet() -> bytes:
    return resource(TEMPLATES, "checkout.css").read_bytes()
