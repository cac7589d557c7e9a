"""A light table for invoice pages (used by layout.py): fpdf2's table() look with horizontal
rules, a heading row in bold (optionally filled) and repeated after a page break.

fpdf2's table() runs its line breaker twice over every cell, which was half the time an
invoice took to render. Here a cell that fits on one line is drawn with cell(); only text
that needs breaking (a long description, a line's note) goes through multi_cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Rgb = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Style:
    widths: tuple[float, ...]
    align: tuple[str, ...]  # "L" or "R" per column
    size: float
    line_height: float
    padding: tuple[float, float, float, float]  # top, right, bottom, left
    color: Rgb
    rule: Rgb
    heading_color: Rgb
    heading_fill: Rgb | None = None
    repeat_heading: bool = False


def draw(pdf: Any, style: Style, heading: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Draw the table at the current y from the left margin; ends below its last row."""
    margin, pdf.c_margin = pdf.c_margin, 0  # the padding is the only inset, as in table()
    pdf.set_draw_color(*style.rule)
    try:
        last = len(rows)
        _row(pdf, style, heading, heading, index=0, last=last)
        for index, cells in enumerate(rows, start=1):
            _row(pdf, style, cells, heading, index=index, last=last)
    finally:
        pdf.c_margin = margin


def _row(
    pdf: Any,
    style: Style,
    cells: Sequence[str],
    heading_cells: Sequence[str],
    *,
    index: int,
    last: int,
) -> None:
    heading = index == 0
    top, right, bottom, left = style.padding
    _font(pdf, style, heading)
    inner = [width - left - right for width in style.widths]
    lines = [_line_count(pdf, text, width) for text, width in zip(cells, inner, strict=True)]
    height = max(lines) * style.line_height + top + bottom
    if not heading and pdf.will_page_break(height):
        pdf.add_page()
        if style.repeat_heading:
            _row(pdf, style, heading_cells, heading_cells, index=0, last=last)
        _font(pdf, style, heading)
    x0, y = pdf.l_margin, pdf.get_y()
    width = sum(style.widths)
    if heading and style.heading_fill is not None:
        pdf.set_fill_color(*style.heading_fill)
        pdf.rect(x0, y, width, height, style="F")
    if index > 0:
        pdf.line(x0, y, x0 + width, y)
    if index < last:
        pdf.line(x0, y + height, x0 + width, y + height)
    x = x0
    for text, col_width, align, count in zip(cells, style.widths, style.align, lines, strict=True):
        dy = (height - count * style.line_height - top - bottom) / 2
        if count == 1:
            pdf.set_xy(x + left, y + top + dy)
            pdf.cell(col_width - left - right, style.line_height, text, align=align)
        else:
            pdf.set_xy(x, y + top + dy)
            pdf.multi_cell(
                col_width,
                style.line_height,
                text,
                align=align,
                padding=(0, right, 0, left),
                new_x="LEFT",
                new_y="TOP",
            )
        x += col_width
    pdf.set_xy(x0, y + height)


def _font(pdf: Any, style: Style, heading: bool) -> None:
    pdf.set_font(pdf.font_family, "B" if heading else "", style.size)
    pdf.set_text_color(*(style.heading_color if heading else style.color))


def _line_count(pdf: Any, text: str, width: float) -> int:
    if "\n" not in text and pdf.get_string_width(text) <= width:
        return 1
    lines = pdf.multi_cell(width, 1, text, dry_run=True, output="LINES", padding=0)
    return max(1, len(lines))
