"""The mail settings' rules, standard library only (the settings are read on every start).

Each check takes the field's name and its stripped, non-empty text, and returns the value
to store or raises a ValidationError naming the field."""

from __future__ import annotations

import re
from typing import Any

from invoicer.domain.errors import ValidationError

# A host name or an IPv4 address: letters, digits, dots, hyphens; no scheme, path, port or
# user (those have their own settings). An IPv6 address is checked as one.
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$")
MAX_STEPS = 12


def _ipv6(text: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


def host(name: str, text: str) -> str:
    if _ipv6(text):
        return text.lower()
    if not _HOST.match(text) or ".." in text:
        raise ValidationError.single(
            name,
            "invalid_host",
            f"{name} must be the mail server's host name alone, e.g. smtp.example.com "
            "(no smtp://, no port: the port is smtp_port).",
        )
    return text.lower()


def user(name: str, text: str) -> str:
    if any(ch.isspace() for ch in text) or len(text) > 320:
        raise ValidationError.single(
            name, "invalid", f"{name} must be a user name without spaces (320 characters at most)."
        )
    return text


def address(name: str, text: str) -> tuple[str, str]:
    """(display name, address) of one `Name <user@domain>` or `user@domain`, parsed as a
    To header is (RFC 5322): a list, a defect or a line break is refused."""
    from email.headerregistry import HeaderRegistry

    found: tuple[str, str] | None = None
    if text.isprintable() and len(text) <= 998:
        try:
            header = HeaderRegistry()("To", text)
        except (ValueError, IndexError, TypeError):
            header = None
        people: tuple[Any, ...] = getattr(header, "addresses", ())  # an AddressHeader's
        if header is not None and not header.defects and len(people) == 1:
            one = people[0]
            spec = one.addr_spec
            if one.username and "." in one.domain and spec.count("@") == 1:
                found = (one.display_name, spec)
    if found is None:
        raise ValidationError.single(
            name,
            "invalid_address",
            f"{text!r} is not one e-mail address (e.g. billing@shop.example or "
            "Shop <billing@shop.example>).",
        )
    return found


def sender(name: str, text: str) -> str:
    address(name, text)
    return text


def steps(name: str, text: str) -> tuple[int, ...]:
    """The reminder cadence as whole days after the due date, increasing."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    days: list[int] = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 3650:
            raise ValidationError.single(
                name,
                "invalid",
                f"{name} must be whole days from 1 to 3650 after the due date, comma "
                f"separated (e.g. 7,14,30); {part!r} is not.",
            )
        days.append(int(part))
    if days != sorted(set(days)) or len(days) > MAX_STEPS:
        raise ValidationError.single(
            name,
            "invalid",
            f"{name} must be increasing days, each once, {MAX_STEPS} at most (e.g. 7,14,30).",
        )
    return tuple(days)


def reminder_days(name: str, text: str) -> str:
    return ",".join(str(day) for day in steps(name, text))
