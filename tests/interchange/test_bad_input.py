"""Files that are broken, odd or not contacts at all: a bad record costs only itself, and a file
that cannot be read at all says why."""

from __future__ import annotations

import random

import pytest

from clientdesk.domain.contacts import ContactKind
from clientdesk.interchange import InterchangeError, RejectedRecord, SourceFormat, open_source

from .common import DATA, imported, read, rejected


def test_a_vcard_cut_off_mid_card():
    one, two = read(DATA / "truncated.vcf")
    assert one.draft.display_name == "Card One"
    assert two == RejectedRecord(6, "The card starting on line 6 has no END:VCARD; it may be cut short.", two.text)
    assert two.text.startswith("BEGIN:VCARD")


def test_a_card_missing_its_end_costs_only_itself():
    records = read(DATA / "missing-end.vcf")
    assert [r.line for r in records] == [1, 5, 9, 15, 17]
    first, no_end, third, stray, fourth = records
    assert first.draft.display_name == "First Card"
    assert no_end.reason == "The card starting on line 5 has no END:VCARD; it may be cut short."
    assert "No End" in no_end.text
    assert third.draft.display_name == "Third Card"
    assert third.draft.emails == (("other", "third@example.com"),)
    assert stray.reason == "Lines 15–16 are not part of any card and were not read."
    assert fourth.draft.display_name == "Card Fourth"


def test_a_card_vobject_cannot_parse_is_rejected_with_its_line(tmp_path):
    path = tmp_path / "broken.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Good\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:3.0\nFN:Bad\nBDAY;X=\"unclosed:1980-01-01\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:3.0\nFN:After\nEND:VCARD\n", encoding="utf-8")
    good, bad, after = read(path)
    assert good.draft.display_name == "Good" and after.draft.display_name == "After"
    assert isinstance(bad, RejectedRecord) and bad.line == 5
    assert bad.reason.startswith("The card starting on line 5 could not be read")


def test_a_card_with_no_name_is_rejected(tmp_path):
    path = tmp_path / "noname.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nTEL:+44 20 7946 0000\nEMAIL:x@example.com\nEND:VCARD\n")
    assert read(path) == [RejectedRecord(1, "The record has no name.", read(path)[0].text)]


def test_a_contact_group_card_is_not_a_contact(tmp_path):
    path = tmp_path / "group.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Friends\nX-ADDRESSBOOKSERVER-KIND:group\nEND:VCARD\n")
    (record,) = read(path)
    assert isinstance(record, RejectedRecord) and "group" in record.reason


def test_binary_garbage_is_not_a_contacts_file(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(random.Random(7).randbytes(50_000) + b"\x00\x00")
    with pytest.raises(InterchangeError, match="does not look like a text file of contacts"):
        open_source(path)


def test_binary_without_nul_bytes_is_not_text_either(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "garbage.vcf"
    path.write_bytes(bytes(rng.choice([b for b in range(256) if b]) for _ in range(20_000)))
    with pytest.raises(InterchangeError, match="does not look like a text file"):
        open_source(path)


def test_mixed_line_endings(tmp_path):
    path = tmp_path / "mixed.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\nFN:Crlf And Lf\r\nTEL:1\rEND:VCARD\r"
                     b"BEGIN:VCARD\nVERSION:3.0\r\nFN:Second\rNOTE:one\\ntwo\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\rVERSION:3.0\rN:Third;Card;;;\rEND:VCARD\r")
    first, second, third = read(path)
    assert (first.line, second.line, third.line) == (1, 6, 11)
    assert first.draft.display_name == "Crlf And Lf" and first.draft.phones == (("other", "1"),)
    assert second.draft.notes == "one\ntwo"
    assert third.draft.display_name == "Card Third"


def test_mixed_line_endings_in_a_csv(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"Name,Phone\r\nAnn,1\nBen,2\rCat,3\r\n")
    assert [(r.line, r.draft.display_name) for r in read(path)] == [(2, "Ann"), (3, "Ben"), (4, "Cat")]


def test_a_latin1_file_is_read_as_detected(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("Name,City,Notes\nZoë Ünal,Köln,Café au lait\nFrançois Garçon,Besançon,Très bien\n"
                     .encode("latin-1"))
    source = open_source(path)
    assert source.encoding == "cp1252"
    zoe, francois = source.records()
    assert zoe.draft.display_name == "Zoë Ünal" and zoe.draft.addresses[0].city == "Köln"
    assert francois.draft.notes == "Très bien"


def test_a_utf16_file_with_bom(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("First Name\tLast Name\tEmail\r\nZoë\tÜnal\tzoe@example.com\r\n".encode("utf-16"))
    source = open_source(path)
    assert (source.encoding, source.delimiter) == ("utf-16", "\t")
    (zoe,) = source.records()
    assert (zoe.draft.given_name, zoe.draft.family_name, zoe.draft.emails) == ("Zoë", "Ünal",
                                                                               (("work", "zoe@example.com"),))


def test_a_utf16_file_without_bom(tmp_path):
    path = tmp_path / "utf16le.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ünal\r\nEND:VCARD\r\n".encode("utf-16-le"))
    source = open_source(path)
    assert (source.format, source.encoding) == (SourceFormat.VCARD, "utf-16-le")
    assert [r.draft.display_name for r in source.records()] == ["Zoë Ünal"]


def test_a_utf8_file_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffName,Email\nZoë,z@example.com\n".encode("utf-8"))
    source = open_source(path)
    assert source.encoding == "utf-8-sig" and source.headers == ["Name", "Email"]
    assert [r.draft.display_name for r in source.records()] == ["Zoë"]


def test_utf8_is_checked_over_the_whole_file(tmp_path):
    # Valid UTF-8 for its first megabytes, then one Windows-1252 byte: the file is not UTF-8.
    path = tmp_path / "late.csv"
    with open(path, "wb") as out:
        out.write(b"Name,Notes\n")
        for n in range(40_000):
            out.write(f"Person {n},plain ascii notes padding padding padding\n".encode())
        out.write("Zoë,late\n".encode("cp1252"))
    source = open_source(path)
    assert source.encoding == "cp1252"
    assert list(source.records())[-1].draft.display_name == "Zoë"


def test_an_encoding_given_wrongly_does_not_stop_the_import(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_bytes("Name,Notes\nZoë Ünal,Café\nPlain Name,ok\n".encode("cp1252"))
    source = open_source(path, encoding="utf-8")
    assert source.encoding == "utf-8"
    zoe, plain = source.records()
    assert zoe.draft.display_name == "Zo\ufffd \ufffdnal"
    assert any("could not be read as utf-8" in w for w in zoe.warnings)
    assert plain.warnings == ()


def test_an_unknown_encoding_name(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Name\nAnn\n")
    with pytest.raises(InterchangeError, match="“klingon-8” is not an encoding"):
        open_source(path, encoding="klingon-8")


def test_a_ragged_csv(tmp_path):
    records = read(DATA / "ragged.csv")
    assert [r.line for r in records] == [2, 3, 4, 5, 7]
    short, full, long, trailing, last = records
    assert short.draft.display_name == "Short Row" and short.draft.emails == ()  # missing cells are empty
    assert full.draft.emails == (("work", "full@example.com"),)
    assert long == RejectedRecord(4, "Row has 5 cells but the header has 3; the columns may be shifted.",
                                  "Long Row,020 7946 0003,long@example.com,extra,cells")
    assert trailing.draft.display_name == "Trailing Comma"  # spare empty cells at the end are harmless
    assert last.draft.display_name == "Last Row"  # the all-empty row on line 6 was skipped silently


def test_a_csv_with_a_one_megabyte_field(tmp_path):
    path = tmp_path / "big-field.csv"
    notes = "x" * 1_048_576
    path.write_text(f'Name,Notes\nBig Notes,"{notes}"\nAfter,small\n', encoding="utf-8")
    big, after = read(path)
    assert big.draft.notes == notes
    assert (after.line, after.draft.notes) == (3, "small")


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InterchangeError, match="“empty.csv” is empty"):
        open_source(path)


def test_a_file_of_blank_lines_is_empty_too(tmp_path):
    path = tmp_path / "blank.vcf"
    path.write_text("\n\n   \r\n")
    with pytest.raises(InterchangeError, match="is empty"):
        open_source(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(InterchangeError, match="was not found"):
        open_source(tmp_path / "nowhere.csv")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(InterchangeError, match="is a folder"):
        open_source(tmp_path)


def test_an_unreadable_file(tmp_path, monkeypatch):
    import clientdesk.interchange.source as source_module

    path = tmp_path / "secret.csv"
    path.write_text("Name\nAnn\n")

    def refuse(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(source_module, "read_head", refuse)  # tests run as root, who may read anything
    with pytest.raises(InterchangeError, match="“secret.csv” could not be read: permission denied"):
        open_source(path)


def test_a_header_only_csv_has_no_records():
    source = open_source(DATA / "header-only.csv")
    assert source.headers == ["First Name", "Last Name", "Email"]
    assert list(source.records()) == [] and source.preview() == []


def test_vcard_forced_on_a_file_without_any_card(tmp_path):
    path = tmp_path / "not.vcf"
    path.write_text("Name,Phone\nAnn,1\n")
    with pytest.raises(InterchangeError, match="no vCard in it"):
        open_source(path, format=SourceFormat.VCARD)


def test_vcard_forced_finds_cards_after_a_long_preamble(tmp_path):
    path = tmp_path / "late.vcf"
    path.write_text("junk line\n" * 20_000 + "BEGIN:VCARD\nVERSION:3.0\nFN:Late\nEND:VCARD\n")
    source = open_source(path, format=SourceFormat.VCARD)
    records = list(source.records())
    assert rejected(records)[0].reason == "Lines 1–20000 are not part of any card and were not read."
    assert [r.draft.display_name for r in imported(records)] == ["Late"]
    assert imported(records)[0].line == 20_001


def test_semicolon_separated():
    source = open_source(DATA / "semicolon.csv")
    assert (source.delimiter, source.format) == (";", SourceFormat.CSV)
    juergen, anna = source.records()
    d = juergen.draft
    assert (d.given_name, d.family_name, d.phones, d.emails) == ("Jürgen", "Müller", (("mobile", "030 1234567"),),
                                                                 (("work", "j@example.de"),))
    assert d.notes == "a; b, c"
    assert anna.draft.display_name == "Anna Schmidt"


def test_tab_separated():
    source = open_source(DATA / "tab.csv")
    assert source.delimiter == "\t"
    tom, company = source.records()
    assert (tom.draft.display_name, tom.organisation, tom.draft.phones, tom.draft.tags) == (
        "Tom Tab", "Tabs Ltd", (("mobile", "07700 900001"),), ("one", "two"))
    assert company.draft.kind is ContactKind.ORGANISATION and company.draft.display_name == "Only Company Ltd"


def test_a_quoted_cell_spanning_lines_moves_the_later_line_numbers():
    ann, ben, cat, dan = read(DATA / "multiline.csv")
    assert [r.line for r in (ann, ben, cat, dan)] == [2, 5, 6, 8]
    assert ann.draft.notes == "first line\nsecond line\nthird line"
    assert cat.draft.display_name == 'Cat "Quoted" Cole'
    assert dan.draft.phones == (("mobile", "020 7946 1003"),)


def test_a_row_after_a_csv_error_is_still_read(tmp_path, monkeypatch):
    import csv

    import clientdesk.interchange.csv_reader as csv_reader

    path = tmp_path / "limit.csv"
    path.write_text('Name,Notes\nAnn,short\nBen,"a field much longer than forty characters, by far"\nCat,ok\n')
    monkeypatch.setattr(csv_reader, "FIELD_LIMIT", 40)  # the csv module's error, brought on cheaply
    old = csv.field_size_limit(40)
    try:
        records = read(path)
    finally:
        csv.field_size_limit(old)
    ann, ben, cat = records
    assert ann.draft.display_name == "Ann"
    assert isinstance(ben, RejectedRecord) and ben.line == 3 and "could not be read as CSV" in ben.reason
    assert (cat.line, cat.draft.display_name) == (4, "Cat")


def test_a_short_garbage_line_outside_cards_is_one_line(tmp_path):
    path = tmp_path / "stray.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\nEND:VCARD\n")
    ann, stray = read(path)
    assert stray == RejectedRecord(5, "Line 5 is not part of any card and was not read.", "END:VCARD")


def test_a_bom_left_in_by_a_chosen_encoding_is_ignored(tmp_path):
    csv_path = tmp_path / "bom.csv"
    csv_path.write_bytes("\ufeffFirst Name,Last Name,Labels\nAnn,Lee,x\n".encode("utf-8"))
    source = open_source(csv_path, encoding="utf-8")
    assert source.headers[0] == "First Name" and source.format is SourceFormat.GOOGLE
    assert [r.draft.display_name for r in source.records()] == ["Ann Lee"]
    vcf_path = tmp_path / "bom.vcf"
    vcf_path.write_bytes("\ufeffBEGIN:VCARD\r\nFN:Ann Lee\r\nEND:VCARD\r\n".encode("utf-8"))
    assert [r.draft.display_name for r in open_source(vcf_path, encoding="utf-8").records()] == ["Ann Lee"]
