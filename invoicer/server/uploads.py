"""Check an uploaded shop logo and turn it into a safe PNG or JPEG.

The type is decided by the bytes (magic numbers), never by the file name or the declared
content type. PNG and JPEG are fully decoded and re-encoded, which drops metadata and any
payload appended to the image. SVG is never stored or served as SVG (it can carry scripts):
it is parsed with entity expansion refused, stripped to drawing elements and rasterised to
PNG with resvg.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET
import resvg_py
from defusedxml import DefusedXmlException
from PIL import Image, ImageOps, UnidentifiedImageError

from invoicer.domain.errors import ValidationError

MAX_SIDE = 4000  # pixels; larger images are refused (decompression bombs)
SVG_RENDER_SIDE = 1024  # the longest side an SVG logo is rasterised to
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_AGAIN = "Upload the logo again as a PNG or JPEG file."
# Drawing elements kept from an SVG; everything else (script, foreignObject, image, use of
# external files, animation that can rewrite attributes...) is dropped.
_SVG_KEEP = frozenset(
    [
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "symbol",
        "use",
    ]
)


@dataclass(frozen=True, slots=True)
class CheckedLogo:
    content_type: Literal["image/png", "image/jpeg"]
    data: bytes
    width: int
    height: int


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError.single("logo", code, message)


def check_logo(data: bytes, *, max_bytes: int = 512 * 1024) -> CheckedLogo:
    """The logo re-encoded as PNG or JPEG, or ValidationError (field "logo")."""
    if not data:
        raise _refuse("empty", f"The file is empty. {_AGAIN}")
    if len(data) > max_bytes:
        raise _refuse(
            "too_large", f"The logo may be at most {max_bytes // 1024} KB; this file is larger."
        )
    if data.startswith(_PNG):
        _refuse_png_trailer(data)
        return _reencode(data, "PNG")
    if data.startswith(_JPEG):
        return _reencode(data, "JPEG")
    if _looks_like_svg(data):
        return _rasterise_svg(data)
    raise _refuse("unsupported_type", f"This file is not a PNG, JPEG or SVG image. {_AGAIN}")


def _refuse_png_trailer(data: bytes) -> None:
    # Bytes after IEND are never written by image tools: they are how PNG/HTML or PNG/ZIP
    # polyglots are made. Walking the chunks also finds truncated files early.
    pos = len(_PNG)
    while True:
        if pos + 12 > len(data):
            raise _refuse("damaged", f"The PNG file is incomplete or damaged. {_AGAIN}")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            break
    if pos > len(data):
        raise _refuse("damaged", f"The PNG file is incomplete or damaged. {_AGAIN}")
    if data[pos:].strip(b"\x00"):
        raise _refuse("polyglot", f"The PNG file has other data hidden after the image. {_AGAIN}")


def _reencode(data: bytes, fmt: Literal["PNG", "JPEG"]) -> CheckedLogo:
    damaged = _refuse("damaged", f"The {fmt} file is incomplete or damaged. {_AGAIN}")
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            # The header gives the size without decoding: refuse bombs before allocating.
            _check_size(*img.size)
            img.load()
            image = ImageOps.exif_transpose(img)  # keep the orientation the camera meant
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, for sizes far beyond ours
        raise _refuse(
            "too_many_pixels", f"The logo may be at most {MAX_SIDE}×{MAX_SIDE} pixels."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise damaged from None
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)  # no text/eXIf chunks: metadata is dropped
    content_type: Literal["image/png", "image/jpeg"] = (
        "image/jpeg" if fmt == "JPEG" else "image/png"
    )
    return CheckedLogo(content_type, out.getvalue(), image.width, image.height)


def _check_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise _refuse("damaged", f"The image has no pixels. {_AGAIN}")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _refuse(
            "too_many_pixels",
            f"The logo may be at most {MAX_SIDE}×{MAX_SIDE} pixels; this one is {width}×{height}.",
        )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _rasterise_svg(data: bytes) -> CheckedLogo:
    bad = _refuse("damaged", f"The SVG file could not be read. {_AGAIN}")
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        # DTDs are how entity bombs (billion laughs) and external entities get in.
        raise _refuse("unsafe_svg", f"The SVG file declares a DTD or entities. {_AGAIN}")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        raise bad from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise bad
    _sanitise(root)
    width, height = _render_size(root)
    try:
        png = bytes(
            resvg_py.svg_to_bytes(
                svg_string=ET.tostring(root, encoding="unicode"), width=width, height=height
            )
        )
    except (ValueError, RuntimeError):
        raise bad from None
    return _reencode(png, "PNG")


def _sanitise(element: ET.Element) -> None:
    for child in list(element):
        tag = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
        if not child.tag.startswith(f"{{{_SVG_NS}}}") or tag not in _SVG_KEEP:
            element.remove(child)  # scripts, foreignObject, images, style sheets, animation
            continue
        _sanitise(child)
    for name in list(element.attrib):
        local = name.rpartition("}")[2].lower()
        value = element.attrib[name]
        if local.startswith("on") or (local == "style" and "url(" in value.lower()):
            del element.attrib[name]  # event handlers; style urls can fetch files
        elif local == "href" or name == _XLINK:
            if not value.strip().startswith("#"):
                del element.attrib[name]  # only references inside the document
        elif "url(" in value.lower() and not re.fullmatch(r"\s*url\(\s*#[^)]*\)\s*", value):
            del element.attrib[name]


_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")


def _render_size(root: ET.Element) -> tuple[int, int]:
    """Pixel size to rasterise to: the SVG's own aspect, longest side SVG_RENDER_SIDE."""
    w = _LENGTH.fullmatch(root.get("width", ""))
    h = _LENGTH.fullmatch(root.get("height", ""))
    if w and h:
        sw, sh = float(w[1]), float(h[1])
    else:
        box = root.get("viewBox", "").replace(",", " ").split()
        try:
            sw, sh = float(box[2]), float(box[3])
        except (IndexError, ValueError):
            raise _refuse(
                "damaged", f"The SVG file has no width, height or viewBox. {_AGAIN}"
            ) from None
    if not (sw > 0 and sh > 0) or max(sw, sh) / min(sw, sh) > 100:
        raise _refuse("damaged", f"The SVG logo has an unusable size. {_AGAIN}")
    scale = SVG_RENDER_SIDE / max(sw, sh)
    return max(1, round(sw * scale)), max(1, round(sh * scale))
