"""The subject and body of each kind of message (invoice, reminder, quote) per language: the
merchant's own (table mail_templates, synced to the shop's devices as events) or the
built-in one (defaults.py).

Placeholders, in braces: {number}, {amount} (the invoice's total, a reminder's open
balance, a quote's total, written the language's way), {due_date}, {valid_until} (a quote's
last valid day), {payment_link} (the open card payment
link), {shop}, {customer}. A line whose placeholders are all empty (no payment link, no due
date) is left out, so "Pay online: {payment_link}" disappears when there is no link.
`{{` and `}}` write a brace. Nothing else is expanded (no attributes, no formats): a template
is the merchant's text, never code.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from invoicer.domain.errors import Problem, ValidationError
from invoicer.domain.limits import control_character
from invoicer.services.mail.defaults import DEFAULTS, KINDS, LANGUAGES

if TYPE_CHECKING:
    from invoicer.services.app import Services

PLACEHOLDERS = ("number", "amount", "due_date", "valid_until", "payment_link", "shop", "customer")
MAX_SUBJECT = 200
MAX_BODY = 20_000


@dataclass(frozen=True, slots=True)
class Template:
    kind: str
    language: str
    subject: str
    body: str
    custom: bool  # the merchant's own, not the built-in one


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "en"


def _check_kind(kind: str, language: str) -> None:
    if kind not in KINDS:
        raise ValidationError.single(
            "kind",
            "unknown_value",
            f"The kind of message must be {', '.join(KINDS[:-1])} or {KINDS[-1]}.",
        )
    if language not in LANGUAGES:
        raise ValidationError.single(
            "language", "unknown_value", f"The language must be one of {', '.join(LANGUAGES)}."
        )


def _fields(field: str, text: str) -> list[Problem]:
    """What is wrong with the placeholders of `text` (a template of `field`)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            Problem(
                field,
                "invalid_template",
                f"The {field} has a lone {{ or }}; write {{{{ or }}}} for a brace.",
            )
        ]
    problems = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            problems.append(
                Problem(
                    field,
                    "unknown_placeholder",
                    f"The {field} has {{{name}{'!' + conversion if conversion else ''}"
                    f"{':' + spec if spec else ''}}}; the placeholders are "
                    + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                    + ".",
                )
            )
    return problems


def check(subject: str, body: str) -> tuple[str, str]:
    """The template as it is stored, or every problem at once."""
    subject, body = subject.strip(), body.strip("\n") + "\n"
    problems: list[Problem] = []
    for field, text, limit, multiline in (
        ("subject", subject, MAX_SUBJECT, False),
        ("body", body, MAX_BODY, True),
    ):
        found = control_character(text, multiline=multiline)
        if not text.strip():
            problems.append(Problem(field, "empty", f"The {field} is empty."))
        elif found is not None:
            problems.append(
                Problem(
                    field,
                    "control_character",
                    f"The {field} contains a control character ({found}); remove it.",
                )
            )
        elif len(text) > limit:
            problems.append(
                Problem(field, "too_long", f"The {field} is longer than {limit:,} characters.")
            )
        else:
            problems += _fields(field, text)
    if problems:
        raise ValidationError(problems)
    return subject, body


def render(text: str, values: Mapping[str, str]) -> str:
    """`text` with its placeholders filled; lines whose placeholders are all empty dropped."""
    kept = []
    for line in text.split("\n"):
        names = [name for _, name, _, _ in string.Formatter().parse(line) if name]
        if names and not any(values.get(name) for name in names):
            continue
        kept.append(line.format_map({name: values.get(name, "") for name in PLACEHOLDERS}))
    return "\n".join(kept)


def get(svc: Services, kind: str, language: str | None) -> Template:
    from invoicer.store.mail_schema import MailTemplate

    lang = _language(language)
    _check_kind(kind, lang)
    with svc.read() as session:
        row = session.get(MailTemplate, f"{kind}.{lang}")
        if row is not None:
            return Template(kind, lang, row.subject, row.body, True)
    subject, body = DEFAULTS[(kind, lang)]
    return Template(kind, lang, subject, body, False)


def all_templates(svc: Services) -> list[Template]:
    return [get(svc, kind, lang) for kind in KINDS for lang in LANGUAGES]


def save(
    svc: Services,
    kind: str,
    language: str,
    *,
    subject: str | None = None,
    body: str | None = None,
    reset: bool = False,
) -> Template:
    """Change a template (the part not given stays); `reset`: back to the built-in text.

    A reset stores the built-in text rather than deleting the row: the shop's other devices
    learn of it from its event like of any other change."""
    from invoicer.store import audit
    from invoicer.store.event_state import row_state
    from invoicer.store.mail_schema import MailTemplate

    _check_kind(kind, language)
    for name, value in (("subject", subject), ("body", body)):
        if value is not None and not isinstance(value, str):
            raise ValidationError.single(name, "invalid", f"The {name} must be text.")
    if not reset and subject is None and body is None:
        raise ValidationError.single(
            "subject", "missing", "Give a subject or a body to change, or reset the template."
        )
    current = get(svc, kind, language)
    if reset:
        subject, body = DEFAULTS[(kind, language)]
    subject, body = check(
        current.subject if subject is None else subject, current.body if body is None else body
    )
    with svc.write() as session:
        key = f"{kind}.{language}"
        row = session.get(MailTemplate, key)
        if row is None:
            row = MailTemplate(id=key, subject=subject, body=body)
            session.add(row)
        row.subject, row.body, row.updated_at = subject, body, svc.ctx.stored_now()
        session.flush()
        audit.append(session, "mail_template.save", "mail_template", key, {"row": row_state(row)})
    return get(svc, kind, language)
