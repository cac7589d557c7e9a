"""EN 16931 e-invoices: UBL (Peppol BIS 3.0), CII, and Factur-X (PDF/A-3 with the CII)."""

from __future__ import annotations

from invoicer.documents.cii import to_cii
from invoicer.documents.ubl import to_ubl

__all__ = ["to_cii", "to_facturx", "to_ubl"]


def to_facturx(pdf: bytes, cii: bytes) -> bytes:
    """Embed the CII in the PDF as factur-x.xml with the XMP metadata (EN16931 profile)."""
    from facturx import generate_from_binary

    result: bytes = generate_from_binary(
        pdf,
        cii,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        check_schematron=False,
        lang="en-GB",
    )
    return result
