"""Logo uploads: type by content, full decode and re-encode, SVG sanitised and rasterised."""

from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from invoicer.domain.errors import ValidationError
from invoicer.server.uploads import CheckedLogo, check_logo


def _png(size: tuple[int, int] = (120, 40), mode: str = "RGBA", **save: object) -> bytes:
    out = io.BytesIO()
    colour = {"RGBA": (200, 30, 30, 255), "RGB": (200, 30, 30), "L": 128}[mode]
    Image.new(mode, size, colour).save(out, "PNG", **save)
    return out.getvalue()


def _jpeg(size: tuple[int, int] = (90, 60), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", **save)
    return out.getvalue()


def _refused(data: bytes, **kw: int) -> str:
    with pytest.raises(ValidationError) as err:
        check_logo(data, **kw)
    (problem,) = err.value.problems
    assert problem.field == "logo"
    assert problem.message
    return problem.code


def _decoded(logo: CheckedLogo) -> Image.Image:
    img = Image.open(io.BytesIO(logo.data))
    img.load()
    assert img.size == (logo.width, logo.height)
    return img


def test_png_is_reencoded_without_metadata() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-gps-location")
    logo = check_logo(_png(pnginfo=info))
    assert logo.content_type == "image/png"
    assert (logo.width, logo.height) == (120, 40)
    assert b"secret-gps-location" not in logo.data
    assert _decoded(logo).format == "PNG"


def test_jpeg_is_reencoded_without_exif() -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMakerSecret"
    logo = check_logo(_jpeg(exif=exif.tobytes()))
    assert logo.content_type == "image/jpeg"
    assert (logo.width, logo.height) == (90, 60)
    assert b"CameraMakerSecret" not in logo.data
    assert _decoded(logo).format == "JPEG"


def test_type_comes_from_content_not_name() -> None:
    # a JPEG "renamed" logo.png is still a JPEG: there is no name to go by, only bytes
    assert check_logo(_jpeg()).content_type == "image/jpeg"


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        b"just some text",
    ],
    ids=["gif", "html", "pdf", "text"],
)
def test_other_types_are_refused(data: bytes) -> None:
    assert _refused(data) == "unsupported_type"


def test_empty_and_oversize_are_refused() -> None:
    assert _refused(b"") == "empty"
    assert _refused(_png(), max_bytes=100) == "too_large"


def test_png_with_html_appended_is_refused() -> None:
    assert _refused(_png() + b"<html><script>alert(1)</script></html>") == "polyglot"


def test_jpeg_with_html_appended_comes_out_without_it() -> None:
    logo = check_logo(_jpeg() + b"<html><script>alert(1)</script></html>")
    assert b"<script" not in logo.data


def test_truncated_files_are_refused() -> None:
    png, jpeg = _png((300, 300), "RGB"), _jpeg((300, 300))
    assert _refused(png[: len(png) // 2]) == "damaged"
    assert _refused(jpeg[: len(jpeg) // 2]) == "damaged"
    assert _refused(b"\x89PNG\r\n\x1a\n") == "damaged"


def _png_header_claiming(width: int, height: int) -> bytes:
    # A tiny file whose header claims a huge image: a decompression bomb's shape.
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_images_with_too_many_pixels_are_refused() -> None:
    assert _refused(_png_header_claiming(50_000, 50_000)) == "too_many_pixels"
    assert _refused(_png((4001, 10), "L")) == "too_many_pixels"
    assert check_logo(_png((4000, 10), "L")).width == 4000


SVG_LOGO = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect width="200" height="100" fill="#1a73e8"/>
  <circle cx="50" cy="50" r="30" fill="#ffffff"/>
</svg>"""


def test_svg_logo_becomes_a_png() -> None:
    logo = check_logo(SVG_LOGO)
    assert logo.content_type == "image/png"
    assert logo.width == 2 * logo.height  # aspect kept
    img = _decoded(logo).convert("RGB")
    assert img.getpixel((logo.width - 2, 2)) == (0x1A, 0x73, 0xE8)
    assert img.getpixel((logo.width // 4, logo.height // 2)) == (255, 255, 255)


def test_svg_with_scripts_and_external_references_comes_out_as_plain_png() -> None:
    hostile = b"""<svg xmlns="http://www.w3.org/2000/svg"
      xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <rect width="100" height="100" fill="#00ff00" onclick="alert(2)"/>
  <image href="file:///etc/passwd" width="100" height="100"/>
  <image xlink:href="http://example.invalid/track.png" width="100" height="100"/>
  <use xlink:href="http://example.invalid/evil.svg#x"/>
  <foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml">
    <script>alert(3)</script></body></foreignObject>
  <a href="javascript:alert(4)"><text x="0" y="50">x</text></a>
</svg>"""
    logo = check_logo(hostile)
    assert logo.content_type == "image/png"
    assert logo.data.startswith(b"\x89PNG")
    for word in (b"script", b"alert", b"onload", b"href", b"passwd"):
        assert word not in logo.data
    assert _decoded(logo).convert("RGB").getpixel((5, 5)) == (0, 255, 0)


def test_billion_laughs_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&lol3;</text></svg>"""
    assert _refused(bomb) == "unsafe_svg"


def test_external_entity_is_refused() -> None:
    xxe = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>"""
    assert _refused(xxe) == "unsafe_svg"


@pytest.mark.parametrize(
    "svg",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect",
        b"<svg width='10' height='10'></svg>",  # no SVG namespace
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",  # no size at all
        b"<svg xmlns='http://www.w3.org/2000/svg' width='100000' height='1'></svg>",
    ],
    ids=["truncated", "no-namespace", "no-size", "absurd-aspect"],
)
def test_broken_svgs_are_refused(svg: bytes) -> None:
    assert _refused(svg) == "damaged"


def test_huge_declared_svg_is_rendered_at_a_bounded_size() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" width="900000" height="450000">
<rect width="900000" height="450000" fill="red"/></svg>"""
    logo = check_logo(svg)
    assert max(logo.width, logo.height) <= 4000
