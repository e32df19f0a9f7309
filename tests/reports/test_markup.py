"""User text on its way into reportlab's Paragraph markup: escaped, line breaks kept, long notes cut up."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from clientdesk.reports.markup import NOTE_CHUNK, clean, markup, note_paragraphs, text


@pytest.mark.parametrize(("typed", "escaped"), [
    ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
    ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ('<img src="http://example.com/x.png"/>', '&lt;img src="http://example.com/x.png"/&gt;'),
    ("&amp;", "&amp;amp;"),
    ("first\nsecond\r\nthird\rfourth", "first<br/>second<br/>third<br/>fourth"),
])
def test_user_text_is_escaped_and_keeps_its_line_breaks(typed, escaped):
    assert text(typed) == escaped


def test_escaped_text_reads_back_from_a_paragraph_as_typed():
    typed = '<para>1 < 2 & <b>x</b> <img src="http://example.com/x.png"/> &nbsp;'
    paragraph = Paragraph(text(typed), ParagraphStyle("plain"))
    assert "".join(fragment.text for fragment in paragraph.frags) == typed


def test_the_reports_own_markup_takes_user_values_escaped():
    assert markup("<b>{name}</b> owes {amount}", name="<i>Zoë</i>", amount="£5 & more") == (
        "<b>&lt;i&gt;Zoë&lt;/i&gt;</b> owes £5 &amp; more")


def test_control_characters_go_and_tabs_become_spaces():
    assert clean("a\x00b\x07c\td\x1be\x85f") == "abc    def"


def test_a_note_becomes_one_paragraph_a_line_without_blank_ones():
    assert note_paragraphs("  first line \n\n\nsecond line\n   \n") == ["first line", "second line"]
    assert note_paragraphs("") == []


def test_a_long_line_is_cut_at_a_sentence_end_so_no_paragraph_is_taller_than_a_page():
    sentence = "This sentence is about sixty characters long, give or take. "
    note = sentence * 600  # 36,000 characters on one line
    paragraphs = note_paragraphs(note)
    assert len(paragraphs) > 20
    assert all(len(paragraph) <= NOTE_CHUNK for paragraph in paragraphs)
    assert all(paragraph.endswith("take.") for paragraph in paragraphs)
    assert " ".join(paragraphs) == note.strip()


def test_a_long_line_without_sentences_is_cut_between_words_and_an_endless_word_anywhere():
    words = "word " * 2000
    assert all(len(p) <= NOTE_CHUNK and not p.endswith(" ") for p in note_paragraphs(words))
    assert " ".join(note_paragraphs(words)) == words.strip()
    endless = "x" * 10_000
    assert "".join(note_paragraphs(endless)) == endless
    assert max(len(p) for p in note_paragraphs(endless)) == NOTE_CHUNK
