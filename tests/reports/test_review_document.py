"""The client review PDF, read back with pypdf: what a reader sees printed, in which fonts, on how many pages."""

from __future__ import annotations

import io
import logging
import socket
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image

from clientdesk.domain.review import ReviewData, ReviewPeriod, revenue_buckets
from clientdesk.domain.services_catalogue import Decision
from clientdesk.reports import render_combined, render_review, write_review
from clientdesk.reports.review_document import EMPTY_TEXTS, NO_NOTES, SECTION_TITLES
from tests.reports.pdfs import STANDARD_14, Pdf, squeeze
from tests.reports.samples import EXPECTED_REVENUE, NOTE, empty_review, full_review

D = Decimal
SCRIPTS = ("Zoë", "Łukasz", "Ελένη", "Дмитрий")
HOSTILE = ("1 < 2 & 3 > 2", "<b>bold</b>", '<img src="http://example.com/x.png"/>', "<para>", "&amp; &nbsp;",
           "</para><font size=\"60\" color=\"red\">BIG</font>")


def png(width: int = 40, height: int = 20, colour=(31, 78, 121, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


# --- the figures --------------------------------------------------------------------------------------

def test_the_relationship_figures_are_printed_as_given(full_pdf):
    data = full_review()
    page = full_pdf.pages[1]
    assert data.money(data.revenue_in_period) == EXPECTED_REVENUE
    assert f"Revenue in this period {EXPECTED_REVENUE}" in page
    assert "Client since 4 March 2019 (7 years)" in page
    assert "Stage Regular client" in page
    assert "Lifetime value GBP 38,450.00, about GBP 5,300.69 a year" in page
    # the chart's bars carry their amounts, month by month
    assert "450 450 1,650 450 630 450 770 450 450 450 525.50 450" in page
    assert "Revenue by month" in page


def test_the_cover_shows_the_business_the_client_the_period_and_the_day_it_was_made(full_pdf):
    cover = full_pdf.pages[0]
    assert cover.startswith("Harbour & Pine Bookkeeping CLIENT REVIEW Zoë Łukasz-Papadopoulou")
    assert "1 July 2025 to 20 June 2026" in cover
    assert "Prepared on 20 June 2026 by Ελένη Дмитриева" in cover
    assert f"{EXPECTED_REVENUE} Revenue in this period GBP 38,450.00 Lifetime value" in cover
    assert "82 Calls, messages and meetings in this period 93% Replies within 24 hours" in cover


def test_the_services_table_shows_what_the_agreement_covers_and_what_was_used(full_pdf):
    page = full_pdf.pages[1]
    assert "Covers: Bookkeeping, Payroll, VAT returns" in page
    assert "renews 1 March 2027 · GBP 450.00 a month" in page
    for row in ("Bookkeeping Included 12 GBP 5,400.00", "Payroll Included 2 GBP 180.00", "VAT returns Included 0 GBP 0.00",
                "Year-end accounts Extra 1 GBP 1,200.00", "Other purchases Extra 1 GBP 75.50",
                f"Total 17 {EXPECTED_REVENUE}"):
        assert row in page


def test_out_of_scope_requests_show_their_outcome_and_charge_and_the_charges_agreed(full_pdf):
    text = full_pdf.text
    assert "12 September 2025 Prepare a cash-flow forecast for the bank Accepted GBP 350.00" in text
    assert "3 February 2026 Chase two late-paying customers by phone Declined —" in text
    assert "22 April 2026 Set up a new online shop's payment reports Quoted GBP 600.00" in text
    assert "Extra charges agreed GBP 350.00" in text  # the quote is not a charge


def test_contact_shows_interactions_by_channel_and_how_quickly_inquiries_were_answered(full_pdf):
    text = full_pdf.text
    for row in ("Phone 9 4 13", "Text 3 0 3", "Email 31 27 58", "Video call 0 6 6", "In person 2 0 2",
                "Total 45 37 82"):
        assert row in text
    assert "From you From us" in text  # the chart's legend
    assert "14 of your messages needed a reply in this period" in text
    assert "93% answered within our target of 24 hours (13 of 14)" in text
    assert "100% answered within our limit of 48 hours (14 of 14)" in text
    assert "3.5 hours median time to answer" in text


def test_boundaries_next_steps_and_notes_are_laid_out_as_given(full_pdf):
    text = full_pdf.text
    for line in full_review().boundary_lines:
        assert f"• {line}" in text
    assert ("When What 1 July 2026 Send the pension auto-enrolment checklist 1 September 2026 Plan review "
            "1 March 2027 Agreement renews (Bookkeeping, Payroll, VAT returns) "
            "To be arranged Introduce the payroll software trial") in text
    assert f"From Ελένη Дмитриева {squeeze(NOTE)}" in text


def test_the_questionnaire_has_a_page_of_its_own_with_one_to_five_boxes_and_room_to_write(full_pdf):
    last = full_pdf.pages[-1]
    assert last.startswith("How am I doing?")
    assert "1 Poor 2 3 4 5 Excellent" in last
    for question in full_review().questions:
        assert question in last
    assert "Anything else you would like to tell us? Name Date" in last


def test_sections_come_in_order_and_are_in_the_outline(full_pdf):
    text = full_pdf.text
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    assert full_pdf.outline_titles() == list(SECTION_TITLES)


# --- text and fonts -----------------------------------------------------------------------------------

def test_names_in_latin_greek_and_cyrillic_come_out_as_typed():
    data = full_review(client_name="Zoë Łukasz", prepared_by="Ελένη Παπαδοπούλου",
                       business_name="Дмитрий & Co", owner_notes="Zoë, Łukasz, Ελένη and Дмитрий came.")
    pdf = Pdf(render_review(data))
    for name in SCRIPTS:
        assert name in pdf.pages[0] or name in pdf.text
    assert "Zoë Łukasz" in pdf.pages[0] and "Ελένη Παπαδοπούλου" in pdf.pages[0] and "Дмитрий & Co" in pdf.pages[0]
    assert "Zoë, Łukasz, Ελένη and Дмитрий came." in pdf.text


def test_chinese_japanese_and_korean_names_print_in_the_embedded_fallback_font():
    data = full_review(client_name="山田 太郎", prepared_by="김민준", owner_notes="王秀英 and Zoë came; さくら too.")
    pdf = Pdf(render_review(data))
    assert "山田 太郎" in pdf.pages[0] and "Client review · 山田 太郎" in pdf.pages[1]  # the cover and the header
    assert "王秀英 and Zoë came; さくら too." in pdf.text and "김민준" in pdf.text
    names = {str(font["/BaseFont"]).lstrip("/").split("+")[-1] for font in pdf.fonts()}
    assert "DroidSansFallback" in names and any(name.startswith("DejaVuSans") for name in names)
    for font in pdf.fonts():
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded: no font needed on the reader's side


def test_every_font_is_embedded_dejavu_and_no_standard_font_is_used(full_pdf, empty_pdf):
    for pdf in (full_pdf, empty_pdf):
        fonts = pdf.fonts()
        assert fonts
        for font in fonts:
            name = str(font["/BaseFont"]).lstrip("/")
            assert name.split("+")[-1] not in STANDARD_14
            assert name.split("+")[-1].startswith("DejaVuSans")
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType program is in the file


def test_user_text_prints_literally_and_never_changes_the_layout_or_fetches_anything(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the report tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    hostile = " ".join(HOSTILE)
    full = full_review()
    data = full_review(
        business_name=f"Shop {HOSTILE[1]}", client_name=f"Client {HOSTILE[2]}", prepared_by=HOSTILE[3],
        owner_notes="\n".join(HOSTILE), boundary_lines=(hostile,),
        out_of_scope=(replace(full.out_of_scope[0], asked=hostile),),
        follow_ups=(replace(full.follow_ups[0], what=hostile),),
        questions=(f"Question {HOSTILE[5]}",))
    pdf = Pdf(render_review(data))
    text = pdf.text
    assert "Shop <b>bold</b>" in pdf.pages[0]
    assert 'Client <img src="http://example.com/x.png"/>' in pdf.pages[0]
    assert "From <para>" in text
    assert " ".join(HOSTILE) in text  # the notes, one paragraph a line
    assert f"• {hostile}" in text
    assert f"{hostile} Accepted GBP 350.00" in text
    assert f"Question {HOSTILE[5]}" in pdf.pages[-1]
    assert not pdf.images(1)  # nothing was fetched into the document either
    assert pdf.reader.metadata.title == 'Client review — Client <img src="http://example.com/x.png"/>'
    assert all("Page" in page for page in pdf.pages)


def test_control_characters_and_broken_surrogates_are_dropped_not_printed_as_boxes():
    pdf = Pdf(render_review(empty_review(owner_notes="bell\x07 tab\tend \ud800 done")))
    assert "bell tab end ? done" in pdf.text or "bell tab end � done" in pdf.text


def test_a_long_note_flows_across_pages():
    sentences = [f"Sentence {number:04d} of a very long note about the year's work together." for number in range(460)]
    note = " ".join(sentences)
    assert len(note) > 30_000
    pdf = Pdf(render_review(empty_review(owner_notes=note)))
    pages_with_note = [number for number, page in enumerate(pdf.pages) if "of a very long note" in page]
    assert len(pages_with_note) >= 5
    assert pages_with_note == list(range(pages_with_note[0], pages_with_note[-1] + 1))
    body = pdf.body("Harbour & Pine Bookkeeping Client review")
    assert squeeze(note) in body  # every word printed, in order, none lost at a page break


def test_a_note_of_one_endless_word_still_flows_across_pages():
    pdf = Pdf(render_review(empty_review(owner_notes="x" * 30_000)))
    assert len(pdf.pages) >= 6
    assert pdf.text.count("x") >= 30_000


# --- empty sections -----------------------------------------------------------------------------------

def test_a_client_with_no_history_gets_a_review_whose_empty_sections_say_so_in_one_line(empty_pdf):
    text = empty_pdf.text
    for line in EMPTY_TEXTS:
        assert text.count(line) == 1, line
    assert len(empty_pdf.pages) == 3  # the cover, the sections, the questionnaire
    assert "Client since — Stage — Lifetime value No purchases yet Revenue in this period GBP 0.00" in text
    assert "GBP 0.00 Revenue in this period — Lifetime value (no purchases yet) 0" in empty_pdf.pages[0]
    assert "Replies within 24 hours (none were needed)" in empty_pdf.pages[0]
    for heading in ("Service In your agreement", "Channel From you", "When What", "Date What was asked"):
        assert heading not in text  # no empty tables


def test_a_period_without_purchases_but_with_buckets_says_so_instead_of_drawing_an_empty_chart():
    period = ReviewPeriod.ending(date(2026, 6, 20))
    pdf = Pdf(render_review(empty_review(revenue=revenue_buckets([], period))))
    assert "Revenue by month No purchases in this period." in pdf.text


def test_notes_that_are_only_blank_lines_count_as_no_notes():
    assert NO_NOTES in Pdf(render_review(empty_review(owner_notes="\n \n\t\n"))).text


# --- pages and metadata -------------------------------------------------------------------------------

def test_every_page_has_the_header_the_footer_and_page_x_of_y(full_pdf):
    total = len(full_pdf.pages)
    assert total == 5
    for number, page in enumerate(full_pdf.pages, start=1):
        assert page.endswith(f"Harbour & Pine Bookkeeping Client review · Zoë Łukasz-Papadopoulou "
                             f"Review period: 1 July 2025 to 20 June 2026 Page {number} of {total}")


def test_the_document_metadata_names_the_review_its_author_and_its_subject(full_pdf):
    metadata = full_pdf.reader.metadata
    assert metadata.title == "Client review — Zoë Łukasz-Papadopoulou"
    assert metadata.author == "Ελένη Дмитриева"
    assert metadata.subject == "Client review for Zoë Łukasz-Papadopoulou, 1 July 2025 to 20 June 2026"
    assert metadata.creator == "ClientDesk"


def test_without_a_preparer_the_business_is_the_author(empty_pdf):
    assert empty_pdf.reader.metadata.author == "Harbour & Pine Bookkeeping"


def test_long_names_are_cut_in_the_running_header_and_the_cover_stays_one_page():
    name = "Maximilian Alexander Wolfgang von Something-Very-Long-Indeed & Sons " * 4
    pdf = Pdf(render_review(empty_review(client_name=name, business_name=name)))
    assert len(pdf.pages) == 3
    assert "Client review · Maximilian" in pdf.pages[1] and "…" in pdf.pages[1]
    assert "At a glance" in pdf.pages[0]


def test_a_letter_sized_review_can_be_asked_for():
    from reportlab.lib.pagesizes import letter

    pdf = Pdf(render_review(full_review(), pagesize=letter))
    box = pdf.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


# --- the logo -----------------------------------------------------------------------------------------

def test_a_logo_given_as_bytes_or_as_a_path_is_on_the_cover(tmp_path):
    logo = png()
    path = tmp_path / "logo.png"
    path.write_bytes(logo)
    for source in (logo, path, str(path)):
        pdf = Pdf(render_review(empty_review(logo=source)))
        assert len(pdf.images(1)) == 1
        assert not pdf.images(2)


def test_a_logo_that_is_not_an_image_is_left_out_with_a_warning(caplog, tmp_path):
    with caplog.at_level(logging.WARNING, logger="clientdesk.reports.logo"):
        pdf = Pdf(render_review(empty_review(logo=b"not an image at all")))
        missing = Pdf(render_review(empty_review(logo=tmp_path / "gone.png")))
    assert not pdf.images(1) and not missing.images(1)
    assert "Leaving the logo out" in caplog.text
    assert len(pdf.pages) == 3


# --- several reviews in one document ------------------------------------------------------------------

def test_a_combined_document_holds_every_review_each_counting_its_own_pages(full_pdf, empty_pdf):
    reviews = [full_review(), empty_review(), full_review(client_name="Ελένη Παπαδοπούλου")]
    combined = Pdf(render_combined(reviews))
    assert len(combined.pages) == 2 * len(full_pdf.pages) + len(empty_pdf.pages)
    sizes = [5, 3, 5]
    numbering = [f"Page {number} of {size}" for size in sizes for number in range(1, size + 1)]
    for page, expected in zip(combined.pages, numbering, strict=True):
        assert page.endswith(expected)
    assert combined.pages[5].startswith("Harbour & Pine Bookkeeping CLIENT REVIEW Дмитрий Новиков")
    assert "Client review · Дмитрий Новиков" in combined.pages[6]
    assert "Client review · Ελένη Παπαδοπούλου" in combined.pages[8]
    outline = combined.outline_titles()
    assert [entry for entry in outline if isinstance(entry, str)] == [
        "Zoë Łukasz-Papadopoulou", "Дмитрий Новиков", "Ελένη Παπαδοπούλου"]
    assert [entry for entry in outline if isinstance(entry, list)][0] == list(SECTION_TITLES)
    metadata = combined.reader.metadata
    assert metadata.title == "Client reviews"
    assert metadata.subject == "3 client reviews, 1 July 2025 to 20 June 2026"


def test_a_combined_document_needs_a_review():
    with pytest.raises(ValueError):
        render_combined([])


def test_writing_a_review_puts_the_whole_pdf_on_disk(tmp_path):
    target = tmp_path / "review.pdf"
    write_review(target, empty_review())
    assert Pdf(target.read_bytes()).pages[0].startswith("Harbour & Pine Bookkeeping")
    assert [path.name for path in tmp_path.iterdir()] == ["review.pdf"]


def test_refunds_in_a_month_draw_below_the_axis_and_keep_their_sign():
    period = ReviewPeriod.ending(date(2026, 6, 20))
    data = empty_review(revenue=revenue_buckets([(date(2026, 1, 5), D("200")), (date(2026, 2, 5), D("-75.25"))],
                                                period))
    pdf = Pdf(render_review(data))
    assert "200 -75.25" in pdf.pages[1]
    assert "Revenue in this period GBP 124.75" in pdf.pages[1]


def test_a_review_of_several_years_is_charted_by_quarter():
    period = ReviewPeriod(date(2023, 7, 1), date(2026, 6, 30))
    data = empty_review(period=period, revenue=revenue_buckets([(date(2024, 2, 1), D("300"))], period))
    page = Pdf(render_review(data)).pages[1]
    assert "Revenue by quarter" in page
    assert "Q3 2023 Q4 Q1 2024" in page


def test_review_data_is_not_changed_by_rendering():
    data = full_review()
    before = hash(data)
    render_review(data)
    assert hash(data) == before and isinstance(data, ReviewData)
    assert data.out_of_scope[0].decision is Decision.ACCEPTED
