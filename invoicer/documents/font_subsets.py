"""Embedded font subsets for fpdf2, made once per glyph set instead of once per PDF.

fpdf2 cuts every embedded TrueType font down to the glyphs a document uses, with fontTools,
while it writes the PDF: about 20 ms per font per invoice, most of the rendering time. Here
each document's font gets a stand-in for its fontTools tables (`FontTables`), and fpdf2's
writer (`SubsetCachingProducer`) embeds the fonts from a per-process cache of subsets.

The cache key is the document's glyph set rounded up to a common base (`BASE_CHARACTERS`:
ASCII, Latin-1 and the usual typographic marks, which covers the four document languages and
most Western European names), so nearly every invoice shares one subset; text beyond it
(Łódź, Ελλάδα) adds its own glyphs to the key. A subset is a pure function of the font file
and the key, so a document's bytes do not depend on what the process rendered before.
"""

from __future__ import annotations

import copy
import functools
import io
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from fontTools import subset as ftsubset
from fontTools.ttLib import TTFont
from fpdf.fonts import TTFFont
from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFFont,
    _build_cmap_blocks,
    _tt_font_widths,
)
from fpdf.syntax import Name, PDFArray, PDFContentStream, PDFObject

BASE_CHARACTERS = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0xA0, 0x100)))
    + "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u202f\u2030\u20ac\u2122"
)
_CACHE_SIZE = 128  # subsets per process; each is a few dozen kB


@dataclass(frozen=True, slots=True)
class Subset:
    data: bytes  # the font file to embed
    compressed: bytes  # `data` deflated, as the PDF stream carries it
    glyph_ids: dict[str, int]  # glyph name -> its id in `data`


class FontTables:
    """Stands in for one document's fontTools font (TTFFont.ttfont): which font file, and the
    base glyphs every subset of it includes. Only SubsetCachingProducer reads it."""

    def __init__(self, path: str, base_glyphs: frozenset[str]) -> None:
        self.path = path
        self.base_glyphs = base_glyphs

    def close(self) -> None:  # TTFFont.close() closes its tables; nothing is open here
        pass


class _Stats:
    hits = 0
    misses = 0


stats = _Stats()  # read by tests: proves the hook is still in fpdf2's path
_cache: OrderedDict[tuple[str, frozenset[str]], Subset] = OrderedDict()


@functools.cache
def _font_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _make_subset(path: str, glyphs: frozenset[str]) -> Subset:
    # recalcTimestamp=False: the head table keeps the font's date, so the bytes are stable.
    font = TTFont(io.BytesIO(_font_bytes(path)), recalcTimestamp=False, lazy=True)
    subsetter = ftsubset.Subsetter(_subset_options())
    subsetter.populate(glyphs=sorted(glyphs))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    glyph_ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
    font.close()
    data = buffer.getvalue()
    compressed = zlib.compress(data, level=PDFContentStream._COMPRESSION_LEVEL)
    return Subset(data, compressed, glyph_ids)


def clear_cache() -> None:
    """Forget every subset (tests use it to show the bytes do not depend on the cache)."""
    _cache.clear()


def cached_subset(path: str, glyphs: frozenset[str]) -> Subset:
    """The font at `path` cut down to `glyphs` (names), made once per process."""
    key = (path, glyphs)
    subset = _cache.get(key)
    if subset is not None:
        stats.hits += 1
        _cache.move_to_end(key)
        return subset
    stats.misses += 1
    subset = _cache[key] = _make_subset(path, glyphs)
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return subset


@functools.cache
def _subset_options() -> Any:
    # The options fpdf2 2.8.9 subsets with (OutputProducer._add_fonts).
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
    options.drop_tables += [
        *("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC"),
        *("EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR"),
    ]
    return options


class _FontFileStream(PDFContentStream):
    """fpdf2's PDFFontStream with the compression done once per subset."""

    def __init__(self, subset: Subset) -> None:
        PDFObject.__init__(self)
        self._contents = subset.compressed
        self.filter = Name("FlateDecode")
        self.length = len(self._contents)
        self.length1 = len(subset.data)


def _ours(font: Any) -> bool:
    return (
        isinstance(font, TTFFont)
        and isinstance(font.ttfont, FontTables)
        and not font.color_font
        and not font.is_cff
    )


class SubsetCachingProducer(OutputProducer):
    """fpdf2's PDF writer, embedding the fonts of pdf.py from the subset cache.

    `_add_fonts` writes the same objects as fpdf2 2.8.9's does for a TrueType font (Type0 font,
    CIDFontType2 with widths, ToUnicode CMap, descriptor, CIDToGIDMap, font file); only the
    subset comes from the cache, and the CIDToGIDMap covers the codes in use instead of all
    65,536 (what fpdf2 builds as a 128 kB string per font per document). A document with
    other fonts only goes through fpdf2's own code; mixing them, or PDF/A-1 (which wants a
    CIDSet), is refused.
    """

    def _add_fonts(self, *args: Any, **kwargs: Any) -> Any:
        fonts = sorted(self.fpdf.fonts.values(), key=lambda font: font.i)
        if not any(map(_ours, fonts)):
            return super()._add_fonts(*args, **kwargs)
        compliance = self.fpdf._compliance
        if not all(map(_ours, fonts)) or (compliance is not None and compliance.part == 1):
            raise NotImplementedError("pdf.py's fonts only, and not PDF/A-1 (no CIDSet)")
        return {font.i: self._add_font(font) for font in fonts}

    def _add_font(self, font: Any) -> PDFFont:
        fontname = f"MPDFAA+{font.name}"
        tables: FontTables = font.ttfont
        used = frozenset(font.subset.get_all_glyph_names())
        subset = cached_subset(tables.path, tables.base_glyphs | used)
        code_to_glyph = {
            code: subset.glyph_ids[glyph.glyph_name]
            for glyph, code in font.subset.items()
            if glyph is not None
        }
        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(
            subtype="CIDFontType2",
            base_font=fontname,
            d_w=font.desc.missing_width,
            w=_tt_font_widths(font),
        )
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        to_unicode = PDFContentStream(_to_unicode_cmap(font).encode("latin-1"))
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode
        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info
        descriptor = copy.copy(font.desc)  # shared by every document's copy of the font
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        cid_to_gid = bytearray(2 * (max(code_to_glyph, default=0) + 1))
        for code, glyph_id in code_to_glyph.items():
            cid_to_gid[2 * code : 2 * code + 2] = glyph_id.to_bytes(2, "big")
        cid_to_gid_map = PDFContentStream(contents=bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_to_gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_map
        font_file = _FontFileStream(subset)
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file
        font.subset.pick.cache_clear()
        font.subset.get_glyph.cache_clear()
        return composite


def _to_unicode_cmap(font: Any) -> str:
    """The CMap that lets readers extract the text (fpdf2's, for 16-bit codes)."""

    def utf16(unicode: int) -> str:
        if unicode > 0xFFFF:
            high = 0xD800 | (unicode - 0x10000) >> 10
            low = 0xDC00 | (unicode & 0x3FF)
            return f"{high:04X}{low:04X}"
        return f"{unicode:04X}"

    entries = [
        f"<{code:04X}> <{''.join(utf16(u) for u in glyph.unicode)}>\n"
        for glyph, code in font.subset.items()
        if glyph is not None and isinstance(glyph.unicode, tuple) and glyph.unicode
    ]
    return (
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo\n"
        "<</Registry (Adobe)\n"
        "/Ordering (UCS)\n"
        "/Supplement 0\n"
        ">> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n"
        "<0000> <FFFF>\n"
        "endcodespacerange\n"
        f"{_build_cmap_blocks(entries, 'bfchar')}"
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end"
    )


def warm_up(path: str, base: frozenset[str]) -> None:
    """Make the subset that text within BASE_CHARACTERS uses."""
    cached_subset(path, base)


def base_glyphs(cmap: dict[int, str]) -> frozenset[str]:
    """The glyph names of BASE_CHARACTERS in a font (what it lacks is left out), and .notdef
    (fpdf2 reserves it in every document)."""
    return frozenset(cmap[ord(ch)] for ch in BASE_CHARACTERS if ord(ch) in cmap) | {".notdef"}
