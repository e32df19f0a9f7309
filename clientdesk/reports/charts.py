"""The review's two small charts, drawn with reportlab.graphics in the document's own fonts: revenue by
month (or quarter, or year) and interactions by channel."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String

from clientdesk.domain.review import ChannelCount, Granularity, RevenueBucket
from clientdesk.reports.fonts import Fonts
from clientdesk.reports.styles import INK, MUTED, PRIMARY, RULE, SECONDARY

AXIS_SIZE = 7
LABELLED_BARS = 16  # more bars than this and the value over each bar would crowd its neighbours


def nice_step(largest: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that reaches `largest` in about `ticks` steps."""
    if largest <= 0:
        return 1.0
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def amount_label(value: float) -> str:
    """Axis and bar labels: whole units grouped ('12,500'), decimals only when a value needs them."""
    if abs(value - round(value)) < 0.005:
        return f"{round(value):,}"
    return f"{value:,.2f}"


def _drawing(width: float, height: float, fonts: Fonts) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer starts every drawing in its default font (Helvetica) unless told otherwise, which would
    # put a standard-14 font into the PDF's resources.
    drawing.initialFontName = fonts.regular
    drawing.initialFontSize = AXIS_SIZE
    return drawing


def _category_names(buckets: Sequence[RevenueBucket]) -> list[str]:
    names = []
    every = max(1, math.ceil(len(buckets) / 24))  # at most 24 labels along the axis
    for index, bucket in enumerate(buckets):
        if index % every:
            names.append("")
            continue
        name = bucket.short_label
        first_of_year = bucket.start.month == 1 or index == 0
        if bucket.granularity is not Granularity.YEAR and first_of_year:
            name += f"\n{bucket.start.year}"
        names.append(name)
    return names


def revenue_chart(buckets: Sequence[RevenueBucket], currency: str, fonts: Fonts, width: float,
                  height: float = 150) -> Drawing:
    """Bars of revenue per bucket, refunds below the axis; the currency is named above the value axis."""
    values = [float(bucket.amount) for bucket in buckets]
    drawing = _drawing(width, height, fonts)
    chart = VerticalBarChart()
    chart.x, chart.y = 44, 30
    chart.width, chart.height = width - chart.x - 4, height - chart.y - 18
    chart.data = [values]
    chart.bars[0].fillColor = PRIMARY
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 4 if len(values) > 24 else 8

    low, high = min(0.0, *values), max(0.0, *values)
    step = nice_step(max(high - low, 1.0))
    axis = chart.valueAxis
    axis.valueMin = math.floor(low / step) * step
    axis.valueMax = max(math.ceil(high / step) * step, axis.valueMin + step)
    if labelled := len(values) <= LABELLED_BARS:  # room for the labels past the longest bars
        if high > 0 and axis.valueMax - high < step * 0.25:
            axis.valueMax += step
        if low < 0 and low - axis.valueMin < step * 0.25:
            axis.valueMin -= step
    axis.valueStep = step
    axis.labelTextFormat = amount_label
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = fonts.regular, AXIS_SIZE, MUTED
    axis.strokeColor = None
    axis.visibleGrid = True
    axis.gridStrokeColor, axis.gridStrokeWidth = RULE, 0.4
    axis.visibleTicks = False

    category = chart.categoryAxis
    category.categoryNames = _category_names(buckets)
    category.labels.fontName, category.labels.fontSize, category.labels.fillColor = fonts.regular, AXIS_SIZE, MUTED
    category.labels.boxAnchor = "n"
    category.labels.dy = -4
    category.labels.leading = AXIS_SIZE + 1.5
    category.strokeColor, category.strokeWidth = MUTED, 0.6
    category.visibleTicks = False
    category.labelAxisMode = "low"

    if labelled:
        chart.barLabelFormat = lambda value: amount_label(value) if value else ""
        chart.barLabels.fontName, chart.barLabels.fontSize = fonts.regular, 6.5
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 6
        chart.barLabels.boxAnchor = "s"  # over the end of a bar above zero…
        chart.barLabels.boxTarget = "normal"
        for index, value in enumerate(values):
            if value < 0:  # …and under the end of a refund's bar below it
                chart.barLabels[(0, index)].boxAnchor = "n"
                chart.barLabels[(0, index)].dy = 4
    drawing.add(chart)
    drawing.add(String(0, height - 9, currency, fontName=fonts.bold, fontSize=AXIS_SIZE, fillColor=MUTED))
    return drawing


def channel_chart(counts: Sequence[ChannelCount], fonts: Fonts, width: float) -> Drawing:
    """Horizontal bars per channel, split into what the client started and what the business started."""
    rows = list(reversed(counts))  # the chart draws its first category at the bottom
    bar_row = 20
    height = 34 + bar_row * len(rows) + 16
    drawing = _drawing(width, height, fonts)
    chart = HorizontalBarChart()
    chart.x, chart.y = 70, 30
    chart.width, chart.height = width - chart.x - 10, bar_row * len(rows)
    chart.data = [[row.from_client for row in rows], [row.from_us for row in rows]]
    chart.categoryAxis.style = "stacked"
    chart.bars[0].fillColor, chart.bars[1].fillColor = PRIMARY, SECONDARY
    chart.bars.strokeColor = None
    chart.barWidth = 11
    chart.groupSpacing = bar_row - 11

    largest = max((row.total for row in rows), default=1)
    step = max(1, math.ceil(nice_step(largest)))
    axis = chart.valueAxis
    axis.valueMin, axis.valueStep = 0, step
    axis.valueMax = max(step, math.ceil(largest / step) * step)
    axis.labelTextFormat = lambda value: f"{round(value):,}"
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = fonts.regular, AXIS_SIZE, MUTED
    axis.strokeColor = None
    axis.visibleGrid = True
    axis.gridStrokeColor, axis.gridStrokeWidth = RULE, 0.4
    axis.visibleTicks = False

    category = chart.categoryAxis
    category.categoryNames = [row.label for row in rows]
    category.labels.fontName, category.labels.fontSize, category.labels.fillColor = fonts.regular, 8, INK
    category.labels.boxAnchor = "e"
    category.labels.dx = -6
    category.strokeColor, category.strokeWidth = MUTED, 0.6
    category.visibleTicks = False
    drawing.add(chart)

    legend = Legend()
    legend.x, legend.y = chart.x, height - 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 80
    legend.dx = legend.dy = 7
    legend.fontName, legend.fontSize, legend.fillColor = fonts.regular, 7.5, INK
    legend.strokeColor = None
    legend.colorNamePairs = [(PRIMARY, "From you"), (SECONDARY, "From us")]
    drawing.add(legend)
    return drawing


__all__ = ["amount_label", "channel_chart", "nice_step", "revenue_chart"]
