"""The charts' scales and labels, and that they draw in the document's fonts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.review import ChannelCount, ReviewPeriod, revenue_buckets
from clientdesk.reports.charts import amount_label, channel_chart, nice_step, revenue_chart
from clientdesk.reports.fonts import register_fonts
from tests.reports.pdfs import Pdf


@pytest.mark.parametrize(("largest", "step"), [(0, 1), (1, 0.25), (7, 2), (1650, 500), (9_999, 2500), (12, 5)])
def test_the_value_axis_steps_by_round_numbers(largest, step):
    assert nice_step(largest) == step


@pytest.mark.parametrize(("value", "label"), [(0, "0"), (1500.0, "1,500"), (525.5, "525.50"), (-75.25, "-75.25"),
                                              (99.999, "100")])
def test_amounts_are_labelled_in_whole_units_unless_they_have_pence(value, label):
    assert amount_label(value) == label


def draw(*drawings) -> Pdf:
    fonts = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=fonts.regular)
    for number, drawing in enumerate(drawings):
        renderPDF.draw(drawing, canvas, 20, 20 + 250 * number)
    canvas.save()
    return Pdf(buffer.getvalue())


def test_charts_use_only_the_document_fonts():
    fonts = register_fonts()
    period = ReviewPeriod.ending(date(2026, 6, 20))
    buckets = revenue_buckets([(date(2026, 1, 2), Decimal("12.50"))], period)
    pdf = draw(revenue_chart(buckets, "EUR", fonts, 450),
               channel_chart((ChannelCount(Channel.PHONE, 1, 2), ChannelCount(Channel.EMAIL, 3, 0)), fonts, 300))
    assert {str(font["/BaseFont"]).split("+")[-1] for font in pdf.fonts()} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert "EUR" in pdf.text and "12.50" in pdf.text and "From you" in pdf.text


def test_a_long_period_labels_at_most_two_dozen_bars():
    period = ReviewPeriod(date(2014, 1, 1), date(2025, 12, 31))  # 48 quarters
    buckets = revenue_buckets([(date(2020, 1, 1), Decimal("5"))], period)
    chart = revenue_chart(buckets, "GBP", register_fonts(), 450)
    names = chart.contents[0].categoryAxis.categoryNames
    assert len(names) == 48 and sum(1 for name in names if name) == 24
