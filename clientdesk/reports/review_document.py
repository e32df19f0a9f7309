"""The client review as a PDF: a cover, the relationship, services, keeping in touch, how we work together,
what comes next, the owner's notes and a "How am I doing?" page to fill in by hand.

`render_review` makes one review; `render_combined` puts several in one document, each starting on a new
page with its own header and its own "Page x of y" (a review is handed to one client, so its pages count
within it; the PDF's outline has an entry per client). Both return the PDF's bytes; `write_review` and
`files.write_atomically` put bytes on disk without ever leaving half a file.

Speed: fonts are registered once per process, the logo decoded once, styles built once; every page is kept
in memory until the end so its footer can name the page count (no second layout pass)."""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clientdesk.domain.boundaries import long_date
from clientdesk.domain.review import (
    DECISION_WORDS,
    PERIOD_WORDS,
    SCALE_HIGH,
    SCALE_LOW,
    STAGE_WORDS,
    FollowUp,
    Granularity,
    ReviewData,
    UpcomingDate,
    answered_count,
    duration_text,
    hours_phrase,
    percent_text,
    relationship_length,
)
from clientdesk.reports.charts import channel_chart, revenue_chart
from clientdesk.reports.files import write_atomically
from clientdesk.reports.fonts import Fonts, register_fonts
from clientdesk.reports.logo import logo_image
from clientdesk.reports.markup import clean, markup, note_paragraphs, text
from clientdesk.reports.styles import (
    FOOTER_Y,
    HEADER_Y,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PANEL,
    PRIMARY,
    RULE,
    Styles,
    styles_for,
    table_style,
)

CREATOR = "ClientDesk"
CELL_LIMIT = 600  # characters of user text in a table cell: a table row cannot break across pages

# What a section says when it has nothing to show: one line each.
NO_REVENUE = "No purchases in this period."
NO_AGREEMENT = "No agreement was in force in this period."
NO_SERVICES = "No services were used in this period."
NO_REQUESTS = "No requests beyond the agreement in this period."
NO_INTERACTIONS = "No calls, messages or meetings in this period."
NO_INQUIRIES_TEXT = "No messages needed a reply in this period."
NO_BOUNDARIES = "No contact arrangements are recorded yet."
NO_NEXT_STEPS = "Nothing is scheduled yet."
NO_NOTES = "No notes for this review."
EMPTY_TEXTS = (NO_REVENUE, NO_AGREEMENT, NO_SERVICES, NO_REQUESTS, NO_INTERACTIONS, NO_INQUIRIES_TEXT,
               NO_BOUNDARIES, NO_NEXT_STEPS, NO_NOTES)

INTRODUCTION = ("This review looks back at our work together over the period and ahead to what comes next. "
                "We would be glad to hear how we are doing: the last page is a short questionnaire to fill in "
                "and hand back.")
SECTION_TITLES = ("Your relationship with us", "Services", "Keeping in touch", "How we work together",
                  "What comes next", "Notes", "How am I doing?")


# --- pages: running header and footer, "Page x of y", the outline --------------------------------------------

@dataclass(frozen=True, slots=True)
class _Running:
    """What every page of one review repeats."""

    business: str
    title: str  # "Client review · <client>"
    period: str


def _width(value: str, fonts: Fonts, font: str, size: float) -> float:
    """Points `value` takes, each run in the font that draws it (see Fonts.runs)."""
    return sum(stringWidth(run, fonts.fallback if fallback else font, size) for run, fallback in fonts.runs(value))


def _fit(value: str, fonts: Fonts, font: str, size: float, width: float) -> str:
    """`value` cut with an ellipsis to fit `width` points."""
    if _width(value, fonts, font, size) <= width:
        return value
    low, high = 0, len(value)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if _width(value[:middle] + "…", fonts, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return value[:low].rstrip() + "…"


def _draw_line(canvas: Canvas, fonts: Fonts, x: float, y: float, value: str, font: str, size: float, *,
               right: bool = False) -> None:
    """One line of user text drawn directly (the running header and footer), characters DejaVu lacks in the
    fallback font; `right` puts its end at x."""
    if right:
        x -= _width(value, fonts, font, size)
    for run, fallback in fonts.runs(value):
        face = fonts.fallback if fallback else font
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, face, size)


class _ReviewCanvas(Canvas):
    """Keeps each finished page until its review is complete, then draws the running header, the footer with
    "Page x of y" (counted within each review) and the page's outline entries, and only then hands the pages
    to the document. Each page's drawing is kept exactly as the build made it, so this costs no second
    layout pass; only one review's pages are held at a time, however many reviews a document holds, and
    each page's stream is compressed as soon as it is handed over (see _compress_last_page)."""

    def __init__(self, *args, running: dict[int, _Running], fonts: Fonts, **kwargs):
        super().__init__(*args, **kwargs)
        self._running = running
        self._fonts = fonts
        self._kept: list[dict] = []
        self.review_index = 0  # set by _ReviewStart as a review's first page is drawn
        self.review_ended = False  # set by _ReviewEnd on a review's last page
        self.outline_marks: list[tuple[str, str, int, float]] = []  # (key, title, level, y) on this page

    def showPage(self):  # noqa: N802 — reportlab's name
        state = dict(self.__dict__)
        del state["_kept"]
        self._kept.append(state)
        if self.review_ended:
            self._flush()  # ends with reportlab's own showPage, which starts the next page
        else:
            self._startPage()
        self.outline_marks = []
        self.review_ended = False

    def _flush(self) -> None:
        """Decorate and hand over the kept pages: every page of one review, complete."""
        kept, self._kept = self._kept, []
        total = len(kept)
        index = kept[0]["review_index"] if kept else self.review_index
        for number, state in enumerate(kept, 1):
            self.__dict__.update(state)
            self._decorate(self._running[self.review_index], number, total)
            for key, title, level, y in self.outline_marks:
                self.bookmarkPage(key, fit="XYZ", left=0, top=y)
                self.addOutlineEntry(title, key, level)
            Canvas.showPage(self)
            _compress_last_page(self._doc)
        self._running.pop(index, None)

    def save(self):
        if self._code:
            self.review_ended = True
            self.showPage()
        elif self._kept:
            self._flush()
        Canvas.save(self)

    def _decorate(self, running: _Running, number: int, total: int) -> None:
        width, height = self._pagesize
        fonts = self._fonts
        inner = width - 2 * MARGIN_X
        self.saveState()
        if number == 1:  # the cover: a band of colour across the top
            self.setFillColor(PRIMARY)
            self.rect(0, height - 7 * mm, width, 7 * mm, stroke=0, fill=1)
        top = height - HEADER_Y
        self.setFillColor(PRIMARY)
        _draw_line(self, fonts, MARGIN_X, top, _fit(running.business, fonts, fonts.bold, 8, inner * 0.45), fonts.bold, 8)
        self.setFillColor(MUTED)
        _draw_line(self, fonts, width - MARGIN_X, top, _fit(running.title, fonts, fonts.regular, 8, inner * 0.5),
                   fonts.regular, 8, right=True)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, top - 5, width - MARGIN_X, top - 5)
        self.line(MARGIN_X, FOOTER_Y + 11, width - MARGIN_X, FOOTER_Y + 11)
        page = f"Page {number} of {total}"
        _draw_line(self, fonts, MARGIN_X, FOOTER_Y, _fit(running.period, fonts, fonts.regular, 7.5, inner * 0.7),
                   fonts.regular, 7.5)
        self.setFont(fonts.regular, 7.5)
        self.setFillColor(INK)
        self.drawRightString(width - MARGIN_X, FOOTER_Y, page)
        self.restoreState()


class _ReviewStart(Flowable):
    """Drawn first on a review's first page: tells the canvas whose pages follow."""

    def __init__(self, index: int, outline: str | None):
        super().__init__()
        self.index, self.outline = index, outline

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.review_index = self.index
        if self.outline is not None:
            _, y = self.canv.absolutePosition(0, 0)
            self.canv.outline_marks.append((f"review-{self.index}", self.outline, 0, y + 20 * mm))


class _ReviewEnd(Flowable):
    """Drawn last on a review's last page: tells the canvas the review's pages are complete."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.review_ended = True


def _compress_last_page(document) -> None:
    """Compress the page just added to `document` now rather than when the file is written: reportlab keeps
    every page's drawing commands as text until the end, about 50 KB a page, where the compressed stream
    is a tenth of that. The stream's filter is named, so reportlab writes it as it is."""
    page = document.Pages.pages[-1]
    stream = getattr(page, "stream", None)
    if not stream or page.Contents:
        return
    content = PDFStream(content=PDFZCompress.encode(stream))  # reportlab's own encoding of a page's text
    content.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
    content.__Comment__ = "page stream"
    page.Contents = content
    page.stream = None


class _SectionHeading(Flowable):
    """A section's title with a rule under it; an outline entry; kept with what follows."""

    def __init__(self, title: str, fonts: Fonts, key: str, level: int):
        super().__init__()
        self.title, self.fonts, self.key, self.level = title, fonts, key, level
        self.keepWithNext = 1
        self.spaceBefore, self.spaceAfter = 14, 8

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 26

    def draw(self):
        canvas = self.canv
        canvas.setFont(self.fonts.bold, 15)
        canvas.setFillColor(PRIMARY)
        canvas.drawString(0, 9, self.title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(0, 1, self.width, 1)
        _, y = canvas.absolutePosition(0, 26)
        canvas.outline_marks.append((self.key, self.title, self.level, y))


class _Logo(Flowable):
    def __init__(self, reader, max_width: float, max_height: float):
        super().__init__()
        self.reader = reader
        pixels_wide, pixels_high = reader.getSize()
        scale = min(max_width / pixels_wide, max_height / pixels_high, 1.0)
        self.width, self.height = pixels_wide * scale, pixels_high * scale
        self.hAlign = "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


class _Box(Flowable):
    """An empty box to tick."""

    def __init__(self, size: float = 12):
        super().__init__()
        self.size = size
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(MUTED)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class _WritingLines(Flowable):
    """Ruled lines to write on."""

    def __init__(self, count: int, gap: float = 9 * mm):
        super().__init__()
        self.count, self.gap = count, gap

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.count * self.gap

    def draw(self):
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        for line in range(self.count):
            self.canv.line(0, line * self.gap, self.width, line * self.gap)


# --- one review's content -------------------------------------------------------------------------------------

def _styled(table: Table, fonts: Fonts, commands: Sequence[tuple]) -> Table:
    """A table with these style commands, in the document's font: a table sets its cells' font even when they
    hold only flowables, and reportlab's default is Helvetica."""
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.regular), *commands]))
    return table


def _short(value: str, limit: int = CELL_LIMIT) -> str:
    value = " ".join(clean(value).split())
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


class _Review:
    """The flowables of one review."""

    def __init__(self, data: ReviewData, styles: Styles, width: float, index: int, combined: bool,
                 height: float = 0):
        self.data, self.styles, self.width, self.height, self.index = data, styles, width, height, index
        self.combined = combined
        self.fonts = styles.fonts
        self._sections = 0

    def story(self) -> list[Flowable]:
        story: list[Flowable] = [_ReviewStart(self.index, self.data.client_name if self.combined else None)]
        story += self._cover()
        story += self._relationship()
        story += self._services()
        story += self._contact()
        story += self._boundaries()
        story += self._next_steps()
        story += self._notes()
        story += self._questionnaire()
        story.append(_ReviewEnd())
        return story

    # building blocks
    def _heading(self, title: str) -> Flowable:
        self._sections += 1
        return _SectionHeading(title, self.fonts, f"review-{self.index}-{self._sections}", 1 if self.combined else 0)

    def _p(self, template: str, style=None, **values: object) -> Paragraph:
        return Paragraph(markup(template, **values), style or self.styles.body)

    def _empty(self, line: str) -> Paragraph:
        return Paragraph(text(line), self.styles.empty)

    def _money(self, amount: Decimal) -> str:
        return self.data.money(amount)

    def _table(self, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               numeric: tuple[int, ...] = (), total: Sequence[object] | None = None) -> Table:
        styles = self.styles
        head = [Paragraph(text(title), styles.cell_head_right if column in numeric else styles.cell_head)
                for column, title in enumerate(header)]
        body = []
        for row in [*rows, *([total] if total is not None else [])]:
            cells = []
            for column, value in enumerate(row):
                style = styles.cell_right if column in numeric else styles.cell
                if row is total:
                    value = markup("<b>{value}</b>", value=value)
                    cells.append(Paragraph(value, style))
                else:
                    cells.append(value if isinstance(value, Flowable) else Paragraph(text(value), style))
            body.append(cells)
        table = Table([head, *body], colWidths=[self.width * share for share in widths], repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(table_style(self.fonts, numeric, total is not None))
        if total is not None:  # the total's label runs over the empty cells after it
            blank = next((column for column in range(1, len(total)) if total[column] != ""), len(total)) - 1
            if blank:
                table.setStyle(TableStyle([("SPAN", (0, -1), (blank, -1))]))
        return table

    def _tiles(self, tiles: Sequence[tuple[str, str]], columns: int) -> Table:
        """Big figures with a caption under each, on light panels."""
        styles = self.styles
        gap = 4 * mm
        tile_width = (self.width - gap * (columns - 1)) / columns
        rows, row = [], []
        for figure, caption in tiles:
            row.append([Paragraph(text(figure), styles.figure), Paragraph(text(caption), styles.figure_caption)])
            if len(row) == columns:
                rows.append(row)
                row = []
        if row:
            rows.append(row + [""] * (columns - len(row)))
        grid, widths = [], []
        for number, cells in enumerate(rows):
            if number:
                grid.append([""] * (2 * columns - 1))
            line = []
            for column, cell in enumerate(cells):
                if column:
                    line.append("")
                line.append(cell)
            grid.append(line)
        for column in range(columns):
            widths += ([gap] if column else []) + [tile_width]
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 9),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]
        for row_number in range(0, len(grid), 2):
            for column in range(0, 2 * columns - 1, 2):
                if grid[row_number][column] != "":
                    commands += [("BACKGROUND", (column, row_number), (column, row_number), PANEL),
                                 ("LINEBEFORE", (column, row_number), (column, row_number), 2.5, PRIMARY)]
        for row_number in range(1, len(grid), 2):
            commands += [("TOPPADDING", (0, row_number), (-1, row_number), 0),
                         ("BOTTOMPADDING", (0, row_number), (-1, row_number), 0)]
        table = Table(grid, colWidths=widths, rowHeights=[None if n % 2 == 0 else gap for n in range(len(grid))],
                      hAlign="LEFT")
        return _styled(table, self.fonts, commands)

    # the cover
    def _cover(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        cover: list[Flowable] = [Spacer(1, 10 * mm)]
        reader = logo_image(data.logo)
        if reader is not None:
            cover += [_Logo(reader, 60 * mm, 24 * mm), Spacer(1, 7 * mm)]
        cover.append(Paragraph(text(_short(_business(data), 200)), styles.cover_business))
        cover.append(Spacer(1, 30 * mm if reader is None else 22 * mm))
        cover.append(Paragraph("CLIENT REVIEW", styles.cover_kicker))
        client = _short(data.client_name, 200)
        size = 28 if len(client) <= 40 else 22 if len(client) <= 80 else 16
        cover.append(Paragraph(text(client), styles.cover_client.clone("client", fontSize=size,
                                                                        leading=size * 1.22)))
        cover.append(self._p("{period}", styles.cover_meta, period=data.period.text()))
        prepared = f"Prepared on {long_date(data.produced_on)}"
        if data.prepared_by.strip():
            prepared += f" by {_short(data.prepared_by, 120)}"
        cover.append(self._p("{prepared}", styles.cover_meta, prepared=prepared))
        cover.append(Spacer(1, 22 * mm))
        cover.append(Paragraph("At a glance", styles.subheading))
        cover.append(self._tiles(self._glance(), 2))
        cover.append(Spacer(1, 12 * mm))
        cover.append(Paragraph(INTRODUCTION, styles.muted))
        # The cover is one page whatever the names' lengths: past that it is scaled down to fit.
        return [KeepInFrame(self.width, self.height, cover, mode="shrink"), PageBreak()]

    def _glance(self) -> list[tuple[str, str]]:
        data = self.data
        value = data.lifetime_value
        answered = data.responsiveness
        target = hours_phrase(data.reply_target_hours, data.reply_in_open_hours)
        return [
            (self._money(data.revenue_in_period), "Revenue in this period"),
            (self._money(value.total) if value is not None else "—",
             "Lifetime value" if value is not None else "Lifetime value (no purchases yet)"),
            (f"{data.interactions_total:,}", "Calls, messages and meetings in this period"),
            (percent_text(answered.within_target) if answered.inquiries else "—",
             f"Replies within {target}" + ("" if answered.inquiries else " (none were needed)")),
        ]

    # the sections
    def _relationship(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        since = "—"
        if data.client_since is not None:
            since = long_date(data.client_since)
            length = relationship_length(data.client_since, data.produced_on)
            since += f" ({length})" if length else ""
        value = "No purchases yet"
        if data.lifetime_value is not None:
            value = self._money(data.lifetime_value.total)
            if data.client_since is not None and (data.produced_on - data.client_since).days >= 365:
                value += f", about {self._money(data.lifetime_value.per_year)} a year"
        rows = [
            ("Client since", since),
            ("Stage", STAGE_WORDS[data.stage] if data.stage is not None else "—"),
            ("Lifetime value", value),
            ("Revenue in this period", self._money(data.revenue_in_period)),
        ]
        facts = Table([[Paragraph(text(label), styles.muted), Paragraph(text(shown), styles.body)]
                       for label, shown in rows], colWidths=[self.width * 0.32, self.width * 0.68], hAlign="LEFT")
        _styled(facts, self.fonts, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        ])
        story: list[Flowable] = [self._heading(SECTION_TITLES[0]), facts]
        granularity = data.revenue[0].granularity if data.revenue else Granularity.MONTH
        story.append(Paragraph(f"Revenue by {granularity.value}", styles.subheading))
        if any(bucket.amount for bucket in data.revenue):
            story.append(revenue_chart(data.revenue, data.currency, self.fonts, self.width))
        else:
            story.append(self._empty(NO_REVENUE))
        return story

    def _services(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        story: list[Flowable] = [self._heading(SECTION_TITLES[1])]
        story.append(Paragraph("Your agreement" if len(data.agreements) <= 1 else "Your agreements",
                               styles.subheading))
        if not data.agreements:
            story.append(self._empty(NO_AGREEMENT))
        for agreement in data.agreements:
            terms = [f"since {long_date(agreement.starts_on)}"]
            if agreement.renews_on is not None:
                terms.append(f"renews {long_date(agreement.renews_on)}")
            if agreement.ends_on is not None:
                terms.append(f"ends {long_date(agreement.ends_on)}")
            if agreement.fee is not None:
                terms.append(f"{self._money(agreement.fee)} {PERIOD_WORDS[agreement.billing_period]}")
            covers = ", ".join(agreement.service_names) or "no named services"
            story.append(self._p("<b>Covers:</b> {covers}<br/><font color='#5F6B76'>{terms}</font>",
                                 covers=_short(covers), terms="Agreement " + " · ".join(terms)))

        story.append(Paragraph("What you used", styles.subheading))
        rows = data.service_rows
        if rows:
            story.append(self._table(
                ("Service", "In your agreement", "Purchases", "Amount"),
                [(_short(row.name, 200), "Included" if row.covered else "Extra", f"{row.times:,}",
                  self._money(row.amount)) for row in rows],
                (0.44, 0.2, 0.14, 0.22), numeric=(2, 3),
                total=("Total", "", f"{sum(row.times for row in rows):,}",
                       self._money(sum((row.amount for row in rows), Decimal(0))))))
        else:
            story.append(self._empty(NO_SERVICES))

        story.append(Paragraph("Requests beyond the agreement", styles.subheading))
        if data.out_of_scope:
            story.append(self._table(
                ("Date", "What was asked", "Outcome", "Extra charge"),
                [(long_date(item.on), _short(item.asked), DECISION_WORDS[item.decision],
                  self._money(item.extra_charge) if item.extra_charge is not None else "—")
                 for item in data.out_of_scope],
                (0.23, 0.43, 0.13, 0.21), numeric=(3,),
                total=("Extra charges agreed", "", "", self._money(data.extra_charges))))
        else:
            story.append(self._empty(NO_REQUESTS))
        return story

    def _contact(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        story: list[Flowable] = [self._heading(SECTION_TITLES[2]),
                                 Paragraph("Calls, messages and meetings", styles.subheading)]
        if data.interactions:
            chart_width = self.width * 0.46
            counts = data.interactions
            table_width = self.width - chart_width - 6 * mm
            inner = _Review(data, styles, table_width, self.index, self.combined)
            table = inner._table(
                ("Channel", "From you", "From us", "Total"),
                [(count.label, f"{count.from_client:,}", f"{count.from_us:,}", f"{count.total:,}")
                 for count in counts],
                (0.31, 0.23, 0.23, 0.23), numeric=(1, 2, 3),
                total=("Total", f"{sum(c.from_client for c in counts):,}", f"{sum(c.from_us for c in counts):,}",
                       f"{data.interactions_total:,}"))
            pair = Table([[channel_chart(counts, self.fonts, chart_width), table]],
                         colWidths=[chart_width + 6 * mm, table_width], hAlign="LEFT")
            _styled(pair, self.fonts, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)])
            story.append(pair)
        else:
            story.append(self._empty(NO_INTERACTIONS))

        story.append(Paragraph("How quickly we replied", styles.subheading))
        figures = data.responsiveness
        if figures.inquiries:
            target = hours_phrase(data.reply_target_hours, data.reply_in_open_hours)
            limit = hours_phrase(data.reply_limit_hours, data.reply_in_open_hours)
            within_target = answered_count(figures.within_target, figures.inquiries)
            within_limit = answered_count(figures.within_limit, figures.inquiries)
            noun = "message" if figures.inquiries == 1 else "messages"
            story.append(self._p("{count} of your {noun} needed a reply in this period. We aim to answer within "
                                 "{target} and always within {limit}.", styles.body,
                                 count=f"{figures.inquiries:,}", noun=noun, target=target, limit=limit))
            story.append(self._tiles([
                (percent_text(figures.within_target),
                 f"answered within our target of {target} ({within_target:,} of {figures.inquiries:,})"),
                (percent_text(figures.within_limit),
                 f"answered within our limit of {limit} ({within_limit:,} of {figures.inquiries:,})"),
                (duration_text(figures.median_hours), "median time to answer"),
            ], 3))
        else:
            story.append(self._empty(NO_INQUIRIES_TEXT))
        return story

    def _boundaries(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        story: list[Flowable] = [self._heading(SECTION_TITLES[3])]
        lines = [line for line in (" ".join(clean(line).split()) for line in data.boundary_lines) if line]
        if not lines:
            return story + [self._empty(NO_BOUNDARIES)]
        story.append(Paragraph("So that we can give every client our full attention, these are the arrangements "
                               "we have agreed with you:", styles.body))
        story += [Paragraph(text(line), styles.bullet, bulletText="•") for line in lines]
        story.append(Paragraph("Thank you for helping us keep to them.", styles.muted))
        return story

    def _next_steps(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [self._heading(SECTION_TITLES[4])]
        items = data.upcoming
        if not items:
            return story + [self._empty(NO_NEXT_STEPS)]
        rows = []
        for item in items:
            if isinstance(item, UpcomingDate):
                rows.append((long_date(item.on), _short(item.what)))
            elif isinstance(item, FollowUp):
                rows.append((long_date(item.due) if item.due is not None else "To be arranged", _short(item.what)))
        story.append(self._table(("When", "What"), rows, (0.28, 0.72)))
        return story

    def _notes(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        story: list[Flowable] = [self._heading(SECTION_TITLES[5])]
        paragraphs = note_paragraphs(data.owner_notes)
        if not paragraphs:
            return story + [self._empty(NO_NOTES)]
        author = data.prepared_by.strip() or data.business_name.strip()
        if author:
            story.append(self._p("From {author}", styles.small, author=author))
        story += [Paragraph(text(paragraph), styles.body) for paragraph in paragraphs]
        return story

    def _questionnaire(self) -> list[Flowable]:
        data, styles = self.data, self.styles
        story: list[Flowable] = [PageBreak(), self._heading(SECTION_TITLES[6])]
        story.append(self._p(
            "Your view helps us do better. For each question please tick one box, from 1 ({low}) to 5 ({high}), "
            "and add anything you would like to tell us. Then hand this page back to us{send_to}.", styles.body,
            low=SCALE_LOW.lower(), high=SCALE_HIGH.lower(),
            send_to=f" or send it to {data.business_name.strip()}" if data.business_name.strip() else ""))
        story.append(Spacer(1, 4))
        box_width = 15 * mm
        head = [Paragraph("", styles.cell_head)]
        for score in range(1, 6):
            caption = {1: SCALE_LOW, 5: SCALE_HIGH}.get(score, "")
            head.append(Paragraph(f"{score}<br/><font size='6.5'>{caption}</font>" if caption else f"{score}",
                                  styles.cell_head_centre))
        rows = [head] + [[Paragraph(text(_short(question, 300)), styles.body)] + [_Box() for _ in range(5)]
                         for question in data.questions]
        table = Table(rows, colWidths=[self.width - 5 * box_width] + [box_width] * 5, hAlign="LEFT")
        _styled(table, self.fonts, [
            ("ALIGN", (1, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (1, 0), (-1, -1), 1),
            ("RIGHTPADDING", (1, 0), (-1, -1), 1),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("TOPPADDING", (0, 1), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ])
        story.append(table)
        story.append(Paragraph("Anything else you would like to tell us?", styles.subheading))
        story.append(Spacer(1, 4 * mm))
        story.append(_WritingLines(7))
        story.append(Spacer(1, 8 * mm))
        signature = Table([[Paragraph("Name", styles.muted), "", Paragraph("Date", styles.muted), ""]],
                          colWidths=[self.width * 0.1, self.width * 0.5, self.width * 0.1, self.width * 0.3],
                          hAlign="LEFT")
        _styled(signature, self.fonts, [("LINEBELOW", (1, 0), (1, 0), 0.6, MUTED),
                                        ("LINEBELOW", (3, 0), (3, 0), 0.6, MUTED),
                                        ("LEFTPADDING", (0, 0), (0, 0), 0), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
        story.append(signature)
        story.append(Spacer(1, 6 * mm))
        story.append(self._p("Thank you — {business}", styles.small, business=data.business_name.strip())
                     if data.business_name.strip() else self._p("Thank you.", styles.small))
        return [story[0], KeepTogether(story[1:])]


# --- the documents ----------------------------------------------------------------------------------------

def _running(data: ReviewData) -> _Running:
    def line(value: str) -> str:
        return " ".join(clean(value).split())

    return _Running(line(_business(data)), f"Client review · {line(data.client_name)}",
                    f"Review period: {data.period.text()}")


class _StreamingDocument(BaseDocTemplate):
    """Lays out one review after another, asking for the next only as the last is being laid out: a batch's
    reviews need not all be gathered, nor their flowables all built, before the first page is drawn."""

    def __init__(self, *args, more: Callable[[], list[Flowable] | None], **kwargs):
        super().__init__(*args, **kwargs)
        self._more: Callable[[], list[Flowable] | None] | None = more
        self.story: list[Flowable] | None = None  # the list build() was given (it also handles lists of its own)

    def handle_flowable(self, flowables):
        if self._more is not None and flowables is self.story and len(flowables) <= 2:
            following = self._more()
            if following is None:
                self._more = None
            else:
                flowables.extend(following)
        super().handle_flowable(flowables)


def _build(reviews: Iterable[ReviewData], *, combined: bool, title: str, author: str,
           subject: str | Callable[[int, set], str], fonts_dir: str | os.PathLike | None,
           pagesize: tuple[float, float]) -> bytes:
    """`reviews` is read one at a time, as the layout reaches each. A `subject` given as a function is worked
    out once every review has been read, from their count and their periods' texts."""
    fonts = register_fonts(fonts_dir)
    styles = styles_for(fonts)
    width, height = pagesize
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    running: dict[int, _Running] = {}
    periods: set[str] = set()
    source: Iterator[ReviewData] = iter(reviews)
    count = 0

    def following() -> list[Flowable] | None:
        nonlocal count
        data = next(source, None)
        if data is None:
            if callable(subject):
                document.canv.setSubject(subject(count, periods))
            return None
        index, count = count, count + 1
        running[index] = _running(data)
        periods.add(data.period.text())
        story = _Review(data, styles, frame._width, index, combined, frame._height).story()
        return story if index == 0 else [PageBreak(), *story]

    buffer = io.BytesIO()
    document = _StreamingDocument(
        buffer, pagesize=pagesize, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author=author, subject="" if callable(subject) else subject,
        creator=CREATOR, producer=CREATOR, keywords=["client review"], initialFontName=fonts.regular,
        pageCompression=1, lang="en", displayDocTitle=1,
        pageTemplates=[PageTemplate(id="review", frames=[frame])], more=following)
    first = following()
    if first is None:
        raise ValueError("a document needs at least one review")
    canvasmaker = partial(_ReviewCanvas, running=running, fonts=fonts)
    document.story = first
    document.build(first, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _subject(data: ReviewData) -> str:
    return f"Client review for {data.client_name}, {data.period.text()}"


def render_review(data: ReviewData, *, fonts_dir: str | os.PathLike | None = None,
                  pagesize: tuple[float, float] = A4) -> bytes:
    """One client's review as PDF bytes. Metadata: title "Client review — <client>", author the person who
    prepared it (else the business), subject the client and period."""
    return _build([data], combined=False, title=f"Client review — {data.client_name}",
                  author=data.prepared_by.strip() or data.business_name.strip(), subject=_subject(data),
                  fonts_dir=fonts_dir, pagesize=pagesize)


def render_combined(reviews: Iterable[ReviewData], *, title: str = "Client reviews",
                    fonts_dir: str | os.PathLike | None = None, pagesize: tuple[float, float] = A4) -> bytes:
    """Several reviews in one PDF, in the order given. Each starts on a new page and counts its own pages
    ("Page 1 of 6" restarts with every review); the outline lists the clients. The page count is the sum
    of the reviews' own page counts.

    `reviews` may be a generator: it is read one review at a time as the layout reaches each, and only one
    review's pages are held uncompressed, so a thousand reviews take little more memory than the finished
    file. An exception raised by the generator (a batch cancelled) ends the rendering with nothing returned."""
    source = iter(reviews)
    first = next(source, None)
    if first is None:
        raise ValueError("a combined document needs at least one review")

    def subject(count: int, periods: set[str]) -> str:
        period = next(iter(periods)) if len(periods) == 1 else "several periods"
        return f"{count:,} client review{'s' if count != 1 else ''}, {period}"

    return _build(itertools.chain((first,), source), combined=True, title=title,
                  author=first.prepared_by.strip() or first.business_name.strip(), subject=subject,
                  fonts_dir=fonts_dir, pagesize=pagesize)


def write_review(path: str | os.PathLike, data: ReviewData, **options) -> None:
    """Render one review and write it to `path` atomically (see files.write_atomically)."""
    write_atomically(path, render_review(data, **options))


__all__ = [
    "CELL_LIMIT", "EMPTY_TEXTS", "NO_AGREEMENT", "NO_BOUNDARIES", "NO_INQUIRIES_TEXT", "NO_INTERACTIONS",
    "NO_NEXT_STEPS", "NO_NOTES", "NO_REQUESTS", "NO_REVENUE", "NO_SERVICES", "SECTION_TITLES", "render_combined",
    "render_review", "write_review",
]


# Where the business's name belongs on the page and none is set yet: the owner sees what to fill in. Sentences
# addressed to the client leave it out instead ("hand this page back to us").
UNNAMED_BUSINESS = "Your business name (Settings → Business)"


def _business(data: ReviewData) -> str:
    return data.business_name.strip() or UNNAMED_BUSINESS
