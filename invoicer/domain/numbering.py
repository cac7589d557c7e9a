"""Number series per device (DESIGN.md §11): each device of a shop issues from its own
gap-free series, so devices that work offline never hand out the same number.

A series is named by the kind of document and the device's prefix: "invoice" and
"credit_note" for the device with the empty prefix (every single-device shop: today's
numbers), "invoice:B" for device prefix B. A prefixed device's numbers carry its prefix
before the sequence: the shop's INV-{year}-{seq:06d} becomes INV-{year}-B-{seq:06d}.
"""

from __future__ import annotations

import re

KINDS = ("invoice", "credit_note")
PREFIX = re.compile(r"[A-Z0-9]{1,8}")


def series_key(kind: str, prefix: str) -> str:
    return f"{kind}:{prefix}" if prefix else kind


def split_series(key: str) -> tuple[str, str]:
    """(kind, device prefix) of a series name."""
    kind, _, prefix = key.partition(":")
    return kind, prefix


def device_format(fmt: str, prefix: str) -> str:
    """The shop's number format as a device with `prefix` uses it."""
    if not prefix:
        return fmt
    at = fmt.find("{seq")
    if at < 0:  # not a format the shop profile accepts; put the prefix in front
        return f"{prefix}-{fmt}"
    return f"{fmt[:at]}{prefix}-{fmt[at:]}"


def check_prefix(prefix: str) -> str | None:
    """Why `prefix` cannot be a device's series prefix (None: it can)."""
    if prefix and not PREFIX.fullmatch(prefix):
        return "A series prefix is 1 to 8 capital letters or digits, such as B or SHOP2."
    return None
