"""The Factur-X PDF carries what PDF/A-3B asks of it and fpdf2 can give: an sRGB OutputIntent
with the ICC profile embedded, XMP saying PDF/A-3 conformance B, embedded fonts, the CII as
an associated file. (Checked here piece by piece; no veraPDF on this machine.)"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from invoicer.documents.pdf import render_pdf
from invoicer.resources import resource
from invoicer.services.app import Services
from invoicer.services.documents import document, export


def xmp_of(reader: PdfReader) -> str:
    data: bytes = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return data.decode("utf-8")


def pdfaid(xmp: str) -> dict[str, str]:
    return dict(re.findall(r"<pdfaid:(\w+)>([^<]*)</pdfaid:\1>", xmp))


def test_facturx_pdf_has_the_srgb_output_intent_and_says_pdfa_3b(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    reader = PdfReader(io.BytesIO(export(svc, ids["S"], "facturx")))
    root = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB"
    profile = intent["/DestOutputProfile"].get_object()
    icc = profile.get_data()
    assert profile["/N"] == 3
    assert icc[36:40] == b"acsp"  # an ICC profile...
    assert icc[16:20] == b"RGB "  # ...of an RGB colour space
    assert int.from_bytes(icc[:4], "big") == len(icc)
    assert icc == resource("color", "sRGB2014.icc").read_bytes()  # the bundled copy
    assert pdfaid(xmp_of(reader)) == {"part": "3", "conformance": "B"}
    assert "/ID" in reader.trailer
    (spec,) = [s.get_object() for s in root["/AF"]]
    assert spec["/F"] == "factur-x.xml"
    assert spec["/AFRelationship"] == "/Data"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded


def test_the_pdfa_base_is_dated_by_the_invoice_not_the_clock(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    doc = document(svc, ids["AE"])
    first, again = render_pdf(doc, pdfa=True).pdf, render_pdf(doc, pdfa=True).pdf
    assert first == again
    reader = PdfReader(io.BytesIO(first))
    xmp = xmp_of(reader)
    assert pdfaid(xmp) == {"part": "3", "conformance": "B"}
    created = doc.creation_datetime.strftime("%Y-%m-%dT%H:%M:%S")
    assert re.findall(r'xmp:(\w+Date)="([^"]+)"', xmp) == [
        (name, created + "+00:00") for name in ("CreateDate", "ModifyDate", "MetadataDate")
    ]
    assert reader.pdf_header == "%PDF-1.7"


def test_the_plain_pdf_claims_no_pdfa(cases: tuple[Services, dict[str, str]]) -> None:
    svc, ids = cases
    reader = PdfReader(io.BytesIO(render_pdf(document(svc, ids["S"])).pdf))
    assert "/OutputIntents" not in reader.trailer["/Root"]
    assert "/Metadata" not in reader.trailer["/Root"]
