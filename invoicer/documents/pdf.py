"""The invoice as a PDF (fpdf2): everything Art. 226 asks for, in the customer's language.

`render_pdf(doc)` returns the bytes and the characters no bundled font could draw (they are
printed as "?" and reported, never a crash). The same document always renders to the same
bytes: the creation date and the file id come from the invoice, not the clock.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any

from invoicer.documents import layout
from invoicer.documents.i18n import Labels
from invoicer.documents.model import InvoiceDocument, PaymentStatement
from invoicer.documents.pdfa import xmp
from invoicer.resources import resource, resource_path

FONT = "DejaVu"


@dataclass(frozen=True, slots=True)
class Rendered:
    pdf: bytes
    missing_characters: tuple[str, ...]  # drawn as "?"


@functools.cache
def _font_files() -> tuple[str, str]:
    # Real paths for fpdf2; the bundled resources are plain files in every install form.
    with resource_path("fonts", "DejaVuSans-Europe.ttf") as regular:
        pass
    with resource_path("fonts", "DejaVuSans-Bold-Europe.ttf") as bold:
        pass
    return str(regular), str(bold)


@functools.cache
def _parsed_fonts() -> dict[str, Any]:
    from fpdf import FPDF

    template = FPDF()
    regular, bold = _font_files()
    template.add_font(FONT, "", regular)
    template.add_font(FONT, "B", bold)
    fonts: dict[str, Any] = dict(template.fonts)
    for font in fonts.values():
        font.ttfont.close()  # metrics are computed; each document opens its own tables
    return fonts


def _per_document(font: Any) -> Any:
    """A copy sharing the glyph metrics, with its own glyph subset.

    Its font tables are a stand-in that fpdf2's subsetting fills from a per-process cache
    (font_subsets.py): the costly metrics and subsets are made once, not per document.
    """
    from fpdf.fonts import SubsetMap

    from invoicer.documents.font_subsets import FontTables

    clone = object.__new__(type(font))
    for cls in type(font).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if hasattr(font, slot):
                setattr(clone, slot, getattr(font, slot))
    clone.ttfont = FontTables(str(font.ttffile), _base_glyphs(font.fontkey))
    clone.subset = SubsetMap(clone)
    clone.missing_glyphs = []
    clone.biggest_size_pt = 0
    return clone


@functools.cache
def _base_glyphs(fontkey: str) -> frozenset[str]:
    from invoicer.documents.font_subsets import base_glyphs

    return base_glyphs(_parsed_fonts()[fontkey].cmap)


def warm_up() -> None:
    """Do once what every document needs: parse the fonts, make their common subsets, load
    the label catalogs and Babel's data (a batch worker calls this before its first job)."""
    import datetime as dt

    from invoicer.documents.font_subsets import warm_up as warm_subsets
    from invoicer.documents.i18n import LANGUAGES

    for key, font in _parsed_fonts().items():
        warm_subsets(str(font.ttffile), _base_glyphs(key))
    for language in LANGUAGES:
        labels = Labels(language)
        labels.money(123456, "EUR")
        labels.date(dt.date(2026, 1, 31))
    _covered()


@functools.cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(_font_files()[0], lazy=True) as font:
        return frozenset(font.getBestCmap())


class Sanitizer:
    """Replaces what the font cannot draw, remembering what it replaced."""

    def __init__(self) -> None:
        self.covered = _covered()
        self.missing: dict[str, None] = {}

    def __call__(self, text: str) -> str:
        if all(ord(ch) in self.covered or ch in "\n\t" for ch in text):
            return text
        out = []
        for ch in text:
            if ord(ch) in self.covered or ch in "\n\t":
                out.append(ch)
            else:
                self.missing[ch] = None
                out.append("?")
        return "".join(out)


def _make_pdf(
    doc: InvoiceDocument,
    labels: Labels,
    clean: Sanitizer,
    pdfa: bool = False,
    kind: str | None = None,
) -> Any:
    from fpdf import FPDF

    class InvoicePdf(FPDF):
        def file_id(self) -> str:  # deterministic /ID
            return f"<{doc.file_id}><{doc.file_id}>"

        def footer(self) -> None:
            layout.footer(self, doc, labels, clean)

    # PDF/A-3B as far as fpdf2 takes it: it refuses what the profile forbids (unembedded
    # fonts, encryption) and writes PDF 1.7; we add the sRGB OutputIntent and the XMP.
    pdf = InvoicePdf(format="A4", unit="mm", enforce_compliance="PDFA_3B" if pdfa else None)
    # Parsing the fonts costs more than rendering an invoice: parse once per process and
    # give each document its own copy (fpdf2 shares the parsed tables, copies the subset).
    for key, font in _parsed_fonts().items():
        pdf.fonts[key] = _per_document(font)
    pdf.set_font(FONT, size=9)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.alias_nb_pages("{nb}")
    pdf.set_creation_date(doc.creation_datetime)
    kind = kind or labels(layout.TITLES[doc.kind])
    title, author = clean(f"{kind} {doc.number}"), clean(doc.seller.name)
    subject = clean(f"{kind} {doc.number} – {doc.buyer.name}")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_subject(subject)
    pdf.set_lang(labels.language)
    pdf.set_producer("Invoicer")
    pdf.set_creator("Invoicer")
    if pdfa:
        _add_srgb_output_intent(pdf)
        pdf.set_xmp_metadata(
            xmp(
                title=title,
                subject=subject,
                author=author,
                tool="Invoicer",
                created=doc.creation_datetime,
            )
        )
    return pdf


@functools.cache
def _srgb_profile() -> bytes:
    return resource("color", "sRGB2014.icc").read_bytes()


def _add_srgb_output_intent(pdf: Any) -> None:
    """The colours are DeviceRGB: PDF/A wants them tied to sRGB by an OutputIntent with the
    ICC profile embedded (our copy in resources/, so frozen bundles have it too)."""
    from fpdf.enums import OutputIntentSubType
    from fpdf.output import PDFICCProfile

    pdf.add_output_intent(
        OutputIntentSubType.PDFA,
        output_condition_identifier="sRGB",
        output_condition="IEC 61966-2-1:1999",
        registry_name="http://www.color.org",
        dest_output_profile=PDFICCProfile(contents=_srgb_profile(), n=3, alternate="DeviceRGB"),
        info="sRGB2014 (v2)",
    )


def render_pdf(doc: InvoiceDocument, *, pdfa: bool = False) -> Rendered:
    """The invoice's PDF; with `pdfa`, the PDF/A-3 base that Factur-X embeds its XML in."""
    labels = Labels(doc.language)
    clean = Sanitizer()
    pdf = _make_pdf(doc, labels, clean, pdfa)
    pdf.add_page()
    layout.letterhead(pdf, doc, labels, clean)
    layout.parties(pdf, doc, labels, clean)
    layout.lines_table(pdf, doc, labels, clean)
    layout.vat_and_totals(pdf, doc, labels, clean)
    layout.notes(pdf, doc, labels, clean)
    layout.payment(pdf, doc, labels, clean)
    from invoicer.documents.font_subsets import SubsetCachingProducer

    buffer = io.BytesIO()
    pdf.output(buffer, output_producer_class=SubsetCachingProducer)
    return Rendered(buffer.getvalue(), tuple(clean.missing))


def render_statement(statement: PaymentStatement) -> Rendered:
    """A payment statement: the invoice's total, what was paid and credited, what is due and
    how to pay it (or that it is paid). Not an invoice: the issued invoice stays as it was."""
    doc = statement.invoice
    labels = Labels(doc.language)
    clean = Sanitizer()
    pdf = _make_pdf(doc, labels, clean, kind=labels("Payment statement"))
    pdf.add_page()
    layout.letterhead(pdf, doc, labels, clean, title=labels("Payment statement"))
    layout.statement_summary(pdf, statement, labels, clean)
    layout.payment(pdf, doc, labels, clean)
    from invoicer.documents.font_subsets import SubsetCachingProducer

    buffer = io.BytesIO()
    pdf.output(buffer, output_producer_class=SubsetCachingProducer)
    return Rendered(buffer.getvalue(), tuple(clean.missing))
