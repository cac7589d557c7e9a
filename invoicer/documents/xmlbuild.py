"""Small helpers for building EN 16931 XML with lxml: amounts, dates, optional elements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicer.domain.money import currency, from_minor


def amount(minor: int, code: str) -> str:
    """An amount with the currency's decimals (BR-DEC: at most 2)."""
    return str(from_minor(minor, currency(code)))


def decimal(value: Decimal) -> str:
    """A quantity, price or rate without trailing zeros or exponent notation."""
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


class Builder:
    """Appends child elements in the order the schema wants them, skipping empty values."""

    def __init__(self, nsmap: dict[str, str]) -> None:
        from lxml import etree

        self.etree = etree
        self.nsmap = nsmap

    def qname(self, name: str) -> str:
        prefix, local = name.split(":")
        return f"{{{self.nsmap[prefix]}}}{local}"

    def root(self, name: str) -> Any:
        return self.etree.Element(self.qname(name), nsmap=self.nsmap)

    def add(self, parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
        element = self.etree.SubElement(parent, self.qname(name))
        if text is not None:
            element.text = text
        for key, value in attrs.items():
            element.set(key, value)
        return element

    def opt(self, parent: Any, name: str, text: str | None, **attrs: str) -> Any:
        """Adds the element only when there is something to say."""
        if text is None or text == "":
            return None
        return self.add(parent, name, text, **attrs)

    def serialize(self, root: Any) -> bytes:
        data: bytes = self.etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return data
