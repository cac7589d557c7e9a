"""The font subsets come from a per-process cache, yet every PDF embeds what it draws; the
batch renders the same bytes as one rendering, on several processes, and records hashes once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from invoicer.documents import font_subsets
from invoicer.documents.model import InvoiceDocument
from invoicer.documents.pdf import render_pdf
from invoicer.services.app import Services, open_services
from invoicer.services.commands import ShopProfileChanges
from invoicer.services.documents import document, pdf_filename, render_batch

from .conftest import GOODS, SHOP, issue


def embedded_fonts(pdf: bytes) -> list[tuple[bytes, dict[int, int], dict[int, str]]]:
    """Per font: the embedded font file, CIDToGIDMap (code -> glyph id) and ToUnicode."""
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            cid_font = font["/DescendantFonts"][0].get_object()
            data = cid_font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            raw = cid_font["/CIDToGIDMap"].get_object().get_data()
            gids = {i // 2: int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)}
            to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            chars = {}
            for line in to_unicode.splitlines():
                if line.startswith("<") and "> <" in line:
                    code, text = line.strip("<>").split("> <")
                    chars[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
            fonts.append((data, gids, chars))
        break  # the fonts of page 1
    return fonts


def unicode_doc(svc: Services, invoice_id: str) -> InvoiceDocument:
    doc = document(svc, invoice_id)
    buyer = dataclasses.replace(doc.buyer, name="Þórður Łódź", city="Ελλάδα")
    return dataclasses.replace(doc, buyer=buyer)


def test_every_drawn_character_maps_to_its_glyph_in_the_embedded_font(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    pdf = render_pdf(unicode_doc(svc, ids["G"])).pdf
    drawn = set()
    for data, gids, chars in embedded_fonts(pdf):
        font = TTFont(io.BytesIO(data))
        order, cmap = font.getGlyphOrder(), font.getBestCmap()
        for code, char in chars.items():
            if char == "\x00":  # .notdef, reserved by fpdf2
                continue
            assert order[gids[code]] == cmap[ord(char)], f"{char!r} is drawn with another glyph"
            drawn.add(char)
    assert set("ÞóðurŁódźΕλάδα") <= drawn


def test_invoices_in_common_characters_share_one_subset_and_others_get_their_own(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    first = render_pdf(document(svc, ids["S"])).pdf  # Jan Jansen
    hits, misses = font_subsets.stats.hits, font_subsets.stats.misses
    second = render_pdf(document(svc, ids["AE"])).pdf  # Müller GmbH, München: other letters
    assert (font_subsets.stats.hits, font_subsets.stats.misses) == (hits + 2, misses)
    assert [f[0] for f in embedded_fonts(first)] == [f[0] for f in embedded_fonts(second)]
    wider = render_pdf(unicode_doc(svc, ids["S"])).pdf

    def covered(pdf: bytes) -> set[str]:
        return {chr(c) for f in embedded_fonts(pdf) for c in TTFont(io.BytesIO(f[0])).getBestCmap()}

    assert {"Ł", "ź", "λ"} & covered(first) == set()
    assert {"Ł", "ź", "λ"} <= covered(wider)


def test_the_bytes_do_not_depend_on_what_the_process_rendered_before(
    cases: tuple[Services, dict[str, str]],
) -> None:
    svc, ids = cases
    doc = unicode_doc(svc, ids["K"])
    after_others = render_pdf(doc).pdf
    font_subsets.clear_cache()
    assert render_pdf(doc).pdf == after_others


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Services, list[str]]]:
    with open_services(tmp_path / "batch.sqlite", today=lambda: dt.date(2026, 3, 16)) as svc:
        svc.shop.save(ShopProfileChanges(**SHOP))
        names = ["Jan Jansen", "Łukasz Żółkiewski", "東京 Ltd", "Anna Berg", "Þórður", "Ö AB"]
        address = {"street": "Kerkstraat 1", "postcode": "1017 GA", "city": "Amsterdam"}
        ids = [issue(svc, {"name": n, "country": "NL", **address}, [GOODS]) for n in names * 2]
        yield svc, ids


def test_a_batch_on_two_processes_renders_what_one_rendering_does(
    store: tuple[Services, list[str]], tmp_path: Path
) -> None:
    svc, ids = store
    svc.invoices.set_pdf_sha256(ids[0], "a" * 64)  # recorded before: kept
    steps: list[int] = []
    report = render_batch(svc, ids, tmp_path / "out", jobs=2, progress=steps.append)
    assert steps == [1] * len(ids)  # 12 invoices on 2 workers: chunks of one, as they finish
    for invoice_id in ids:
        doc = document(svc, invoice_id)
        written = (tmp_path / "out" / pdf_filename(doc.number)).read_bytes()
        assert written == render_pdf(doc).pdf
        expected = "a" * 64 if invoice_id == ids[0] else hashlib.sha256(written).hexdigest()
        assert svc.invoices.get(invoice_id).pdf_sha256 == expected
    assert report.missing == {ids[2]: ("東", "京"), ids[8]: ("東", "京")}
    assert report.differing == (ids[0],)  # its recorded hash is not this rendering's
    assert svc.audit.verify().ok


def test_a_second_batch_records_nothing_new(
    store: tuple[Services, list[str]], tmp_path: Path
) -> None:
    svc, ids = store
    render_batch(svc, ids, tmp_path / "one", jobs=1)
    hashes = [svc.invoices.get(i).pdf_sha256 for i in ids]
    events = svc.audit.verify().events
    render_batch(svc, ids, tmp_path / "two", jobs=2)
    assert [svc.invoices.get(i).pdf_sha256 for i in ids] == hashes
    assert svc.audit.verify().events == events
