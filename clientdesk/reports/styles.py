"""The review's look: one palette, one type scale, the page's margins, and table styles with light rules.
Built once per font family and reused by every document."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from clientdesk.reports.fonts import Fonts

# The palette: a deep blue for structure, a lighter blue beside it, greys for everything secondary.
INK = colors.HexColor("#1E2A36")
PRIMARY = colors.HexColor("#1F4E79")
SECONDARY = colors.HexColor("#8DB3D6")
MUTED = colors.HexColor("#5F6B76")
RULE = colors.HexColor("#D3DAE1")
PANEL = colors.HexColor("#F1F5F9")
WHITE = colors.white

MARGIN_X = 22 * mm
MARGIN_TOP = 27 * mm  # the running header sits in the top margin
MARGIN_BOTTOM = 24 * mm  # and the footer in the bottom one
HEADER_Y = 14 * mm  # from the top edge: the header's baseline
FOOTER_Y = 12 * mm  # from the bottom edge: the footer's baseline

BODY_SIZE = 10
SMALL_SIZE = 8.5


@dataclass(frozen=True)
class Styles:
    fonts: Fonts
    body: ParagraphStyle
    body_tight: ParagraphStyle  # the continuation of a long note: no gap before
    muted: ParagraphStyle
    empty: ParagraphStyle  # "No … in this period."
    small: ParagraphStyle
    subheading: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    cell_head_centre: ParagraphStyle
    cover_business: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_client: ParagraphStyle
    cover_meta: ParagraphStyle
    figure: ParagraphStyle  # a big number in a tile
    figure_caption: ParagraphStyle


@cache
def styles_for(fonts: Fonts) -> Styles:
    regular, bold, italic = fonts.regular, fonts.bold, fonts.italic
    body = ParagraphStyle("body", fontName=regular, fontSize=BODY_SIZE, leading=14.5, textColor=INK,
                          spaceAfter=5, alignment=TA_LEFT, splitLongWords=1)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=bold, fontSize=8, leading=10, textColor=MUTED)
    return Styles(
        fonts=fonts,
        body=body,
        body_tight=ParagraphStyle("body_tight", parent=body, spaceBefore=0),
        muted=ParagraphStyle("muted", parent=body, textColor=MUTED),
        empty=ParagraphStyle("empty", parent=body, fontName=italic, textColor=MUTED, spaceAfter=8),
        small=ParagraphStyle("small", parent=body, fontSize=SMALL_SIZE, leading=11.5, textColor=MUTED),
        subheading=ParagraphStyle("subheading", parent=body, fontName=bold, fontSize=10.5, leading=14,
                                  textColor=PRIMARY, spaceBefore=8, spaceAfter=5, keepWithNext=1),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, bulletFontName=regular,
                              bulletColor=PRIMARY, spaceAfter=4),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=cell_head,
        cell_head_right=ParagraphStyle("cell_head_right", parent=cell_head, alignment=TA_RIGHT),
        cell_head_centre=ParagraphStyle("cell_head_centre", parent=cell_head, alignment=TA_CENTER),
        cover_business=ParagraphStyle("cover_business", parent=body, fontName=bold, fontSize=15, leading=19,
                                      textColor=PRIMARY, spaceAfter=0),
        cover_kicker=ParagraphStyle("cover_kicker", parent=body, fontName=bold, fontSize=10, leading=13,
                                    textColor=MUTED, spaceAfter=6),
        cover_client=ParagraphStyle("cover_client", parent=body, fontName=bold, fontSize=28, leading=34,
                                    textColor=INK, spaceAfter=10),
        cover_meta=ParagraphStyle("cover_meta", parent=body, fontSize=11.5, leading=16, textColor=MUTED,
                                  spaceAfter=2),
        figure=ParagraphStyle("figure", parent=body, fontName=bold, fontSize=17, leading=21, textColor=PRIMARY,
                              spaceAfter=2),
        figure_caption=ParagraphStyle("figure_caption", parent=body, fontSize=8.5, leading=11, textColor=MUTED,
                                      spaceAfter=0),
    )


def table_style(fonts: Fonts, numeric_columns: tuple[int, ...] = (), total_row: bool = False) -> TableStyle:
    """Light rules: a stronger one under the header, hairlines between rows, no vertical lines."""
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
    ]
    for column in numeric_columns:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    if total_row:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, PRIMARY), ("LINEBELOW", (0, -1), (-1, -1), 0, WHITE)]
    return TableStyle(commands)


__all__ = [
    "BODY_SIZE", "FOOTER_Y", "HEADER_Y", "INK", "MARGIN_BOTTOM", "MARGIN_TOP", "MARGIN_X", "MUTED", "PANEL",
    "PRIMARY", "RULE", "SECONDARY", "SMALL_SIZE", "Styles", "WHITE", "styles_for", "table_style",
]
