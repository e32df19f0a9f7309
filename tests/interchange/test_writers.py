"""What the written files look like, line by line."""

from __future__ import annotations

import csv
import io

import pytest

from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone
from clientdesk.interchange import ExportedContact, write_google_csv, write_vcards
from clientdesk.interchange.csv_reader import clean_cell
from clientdesk.interchange.csv_writer import neutralise, phone_cell
from clientdesk.interchange.vcard_writer import fold


def vcard(contact: ExportedContact) -> str:
    out = io.StringIO(newline="")
    assert write_vcards([contact], out) == 1
    return out.getvalue()


def fields(**values) -> ContactFields:
    base = dict(kind=ContactKind.PERSON, given_name="Ann", family_name="Lee", display_name="Ann Lee")
    base.update(values)
    return ContactFields(**base)


def test_a_vcard_30_with_every_property():
    text = vcard(ExportedContact(fields(
        phones=(Phone("07700 900123", "", "mobile"), Phone("020 7946 0000", "", "Reception")),
        emails=(Email("ann@example.com", "home"),),
        addresses=(Address("1 High St", "Bath", "Somerset", "BA1 1AA", "UK", "work"),),
        birthday=Birthday(3, 7), tags=("vip", "a,b"), notes="line one\nline; two"), "Lee & Co"))
    assert text.split("\r\n") == [
        "BEGIN:VCARD", "VERSION:3.0", "N:Lee;Ann;;;", "FN:Ann Lee", "ORG:Lee & Co",
        "TEL;TYPE=CELL:07700 900123", "item1.TEL:020 7946 0000", "item1.X-ABLabel:Reception",
        "EMAIL;TYPE=INTERNET,HOME:ann@example.com", "ADR;TYPE=WORK:;;1 High St;Bath;Somerset;BA1 1AA;UK",
        "BDAY:--07-03", "CATEGORIES:vip,a\\,b", "NOTE:line one\\nline\\; two", "END:VCARD", ""]


def test_an_organisation_is_marked_as_a_company():
    text = vcard(ExportedContact(ContactFields(ContactKind.ORGANISATION, "", "", "Acme Ltd",
                                               birthday=Birthday(1, 2, 1990))))
    assert "N:;;;;\r\nFN:Acme Ltd\r\nORG:Acme Ltd\r\nX-ABShowAs:COMPANY\r\nBDAY:1990-02-01\r\n" in text


def test_every_line_ends_with_crlf_and_no_bare_newline_is_left():
    text = vcard(ExportedContact(fields(notes="a\nb\r\nc\rd")))
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    assert "NOTE:a\\nb\\nc\\nd\r\n" in text


@pytest.mark.parametrize("notes", ["x" * 300, "é" * 200, "日本語" * 60, "🎉" * 70, "\\" * 150, "a\\,b;" * 60])
def test_long_lines_are_folded_at_75_octets_without_breaking_a_character(notes):
    text = vcard(ExportedContact(fields(notes=notes)))
    raw = text.encode("utf-8")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each piece is whole UTF-8
    unfolded = text.replace("\r\n ", "")
    assert any(line.startswith("NOTE:") for line in unfolded.split("\r\n"))


def test_folding_keeps_an_escape_pair_together():
    line = "NOTE:" + "a" * 69 + "\\n" + "b" * 10
    folded = fold(line)
    assert folded.split("\r\n")[0].endswith("a")  # the \n goes whole to the next line
    assert folded.replace("\r\n ", "") == line + "\r\n"


def test_short_lines_are_left_alone():
    assert fold("FN:Ann") == "FN:Ann\r\n"
    assert fold("FN:" + "x" * 72) == "FN:" + "x" * 72 + "\r\n"


@pytest.mark.parametrize("cell, written", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("+SUM(1)", "'+SUM(1)"), ("@x", "'@x"), ("-2+3", "'-2+3"),
    ("\tTab", "'\tTab"), ("\rCR", "'\rCR"), ("'=already", "''=already"), ("''", "'''"), ("'plain", "'plain"),
    ("plain", "plain"), ("", ""), ("'", "'"),
])
def test_formula_neutralising_and_its_undoing(cell, written):
    assert neutralise(cell) == written
    assert clean_cell(written) == cell  # the text as it was, a leading tab included


@pytest.mark.parametrize("phone, written", [
    ("+44 20 7946 0958", "+44 20 7946 0958"), ("+1 (206) 555-0100", "+1 (206) 555-0100"),
    ("+44=1", "'+44=1"), ("-123", "'-123"), ("020 7946 0958", "020 7946 0958"),
])
def test_an_international_phone_is_not_taken_for_a_formula(phone, written):
    assert phone_cell(phone) == written


def test_google_csv_has_as_many_groups_as_the_widest_contact():
    many = ExportedContact(fields(phones=tuple(Phone(f"0{n}", "", "work") for n in range(7)),
                                  emails=(Email("a@example.com"),)))
    out = io.StringIO(newline="")
    assert write_google_csv([ExportedContact(fields()), many], out) == 2
    assert out.getvalue().count("\r\n") == 3  # rows end with CRLF
    header, first, second = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert header[:3] == ["First Name", "Middle Name", "Last Name"]
    assert "Phone 7 - Value" in header and "Phone 8 - Value" not in header
    assert "E-mail 1 - Value" in header and "E-mail 2 - Value" not in header
    assert "Address 1 - Street" in header  # one group of each at least
    assert len(first) == len(second) == len(header)
    assert second[header.index("Phone 7 - Label")] == "Work"


def test_an_empty_export_still_has_the_header():
    out = io.StringIO(newline="")
    assert write_google_csv([], out) == 0
    assert out.getvalue().startswith("First Name,Middle Name,Last Name,")


def test_the_writers_take_a_generator():
    def stream():
        for n in range(3):
            yield ExportedContact(fields(given_name=f"N{n}", display_name=f"N{n} Lee"))

    assert write_vcards(stream(), io.StringIO(newline="")) == 3
    assert write_google_csv(stream(), io.StringIO(newline="")) == 3
