"""What a file is taken for, and how a CSV's columns are read."""

from __future__ import annotations

import pytest

from clientdesk.domain.contacts import Address, Birthday, ContactKind
from clientdesk.interchange import ColumnMapping, Field, ImportedContact, RejectedRecord, SourceFormat, open_source

from .common import DATA


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("header, expected", [
    ("First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value", SourceFormat.GOOGLE),
    ("Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value", SourceFormat.GOOGLE),
    ("First Name,Middle Name,Last Name,E-mail Address,Business Phone,Mobile Phone", SourceFormat.OUTLOOK),
    ("Name,Phone,Email", SourceFormat.CSV),
    ("first name,last name", SourceFormat.CSV),
])
def test_the_csv_kind_is_told_by_its_header(tmp_path, header, expected):
    assert open_source(write(tmp_path, "x.csv", header + "\n")).format is expected


@pytest.mark.parametrize("text", ["BEGIN:VCARD\nFN:A\nEND:VCARD\n", "\n\n  begin:vcard\nFN:A\nend:vcard\n",
                                  "Exported by SomeApp\nBEGIN:VCARD\nFN:A\nEND:VCARD\n"])
def test_a_vcard_is_told_by_its_first_lines(tmp_path, text):
    source = open_source(write(tmp_path, "x.txt", text))
    assert (source.format, source.delimiter, source.headers) == (SourceFormat.VCARD, None, [])
    assert [r.draft.display_name for r in source.records() if isinstance(r, ImportedContact)] == ["A"]


@pytest.mark.parametrize("header, delimiter", [
    ("a,b;c,d", ","), ("a;b;c,d", ";"), ("a\tb\tc;d", "\t"), ("a;b,c\td", ","), ("single", ","),
    ('"Name; with; semicolons",Phone', ","), ('"a,b,c";x;y', ";"),
])
def test_the_delimiter_is_the_most_frequent_outside_quotes(tmp_path, header, delimiter):
    assert open_source(write(tmp_path, "x.csv", header + "\n")).delimiter == delimiter


def test_a_delimiter_given_by_the_user_is_used(tmp_path):
    path = write(tmp_path, "x.csv", "Name|Phone\nAnn|1\n")
    source = open_source(path, delimiter="|")
    assert source.headers == ["Name", "Phone"]
    assert [r.draft.phones for r in source.records()] == [(("mobile", "1"),)]
    assert open_source(write(tmp_path, "t.csv", "Name\tPhone\n"), delimiter="tab").delimiter == "\t"


def test_a_format_given_by_the_user_is_used(tmp_path):
    source = open_source(DATA / "google-new.csv", format=SourceFormat.CSV)
    assert source.format is SourceFormat.CSV
    first = next(iter(source.records()))
    assert first.draft.display_name == "Ada Lovelace"  # read through the guessed mapping


def test_the_suggested_mapping_reads_synonyms(tmp_path):
    header = ("Given Name,Surname,Full Name,Organization,Telephone,Cell,E-mail,Street,Town,County,Postcode,Country,"
              "DOB,Groups,Comments,Unrelated,Work Phone,Home Email,Vorname")
    source = open_source(write(tmp_path, "x.csv", header + "\n"))
    assert source.suggested_mapping() == ColumnMapping({
        0: Field.GIVEN_NAME, 1: Field.FAMILY_NAME, 2: Field.DISPLAY_NAME, 3: Field.ORGANISATION, 4: Field.PHONE,
        5: Field.MOBILE, 6: Field.EMAIL, 7: Field.STREET, 8: Field.CITY, 9: Field.REGION, 10: Field.POSTCODE,
        11: Field.COUNTRY, 12: Field.BIRTHDAY, 13: Field.TAGS, 14: Field.NOTES, 16: Field.WORK_PHONE,
        17: Field.HOME_EMAIL})  # a second given-name column is left out; a second phone is not


def test_a_vcard_has_no_mapping():
    assert open_source(DATA / "v4.vcf").suggested_mapping() == ColumnMapping()


def test_columns_mapped_to_the_same_field_add_up(tmp_path):
    path = write(tmp_path, "x.csv", "Who,Tel A,Tel B,Mail,Street 1,Street 2,Tag A,Tag B,Note A,Note B\n"
                                    "Ann Lee,020 1,020 2,a@example.com,Flat 1,1 High St,x,y; z,first,second\n")
    mapping = ColumnMapping({0: Field.DISPLAY_NAME, 1: Field.PHONE, 2: Field.WORK_PHONE, 3: Field.WORK_EMAIL,
                             4: Field.STREET, 5: Field.STREET, 6: Field.TAGS, 7: Field.TAGS, 8: Field.NOTES,
                             9: Field.NOTES})
    (ann,) = open_source(path).records(mapping)
    d = ann.draft
    assert d.phones == (("mobile", "020 1"), ("work", "020 2"))
    assert d.emails == (("work", "a@example.com"),)
    assert d.addresses == (Address(street="Flat 1\n1 High St", label="work"),)
    assert d.tags == ("x", "y", "z")
    assert d.notes == "first\n\nsecond"


def test_a_mapping_given_for_a_google_file_is_followed(tmp_path):
    source = open_source(DATA / "google-new.csv")
    records = list(source.records(ColumnMapping({10: Field.DISPLAY_NAME})))
    assert [r.draft.display_name for r in records if isinstance(r, ImportedContact)][:2] == [
        "Analytical Engines Ltd", "Northwind Traders"]


def test_a_generic_phone_column_takes_its_label_from_the_header(tmp_path):
    path = write(tmp_path, "x.csv", "Name,Phone (home),Fax number,Phone\nAnn,1,2,3\n")
    mapping = ColumnMapping({0: Field.DISPLAY_NAME, 1: Field.PHONE, 2: Field.PHONE, 3: Field.PHONE})
    (ann,) = open_source(path).records(mapping)
    assert ann.draft.phones == (("home", "1"), ("fax", "2"), ("mobile", "3"))


def test_an_empty_mapping_finds_no_names(tmp_path):
    path = write(tmp_path, "x.csv", "Name\nAnn\n")
    assert list(open_source(path).records(ColumnMapping())) == [RejectedRecord(2, "The record has no name.", "Ann")]


def test_a_csv_row_with_only_a_company_is_an_organisation(tmp_path):
    path = write(tmp_path, "x.csv", "First Name,Last Name,Company\n,,Acme Ltd\nAnn,,Acme Ltd\n")
    acme, ann = open_source(path).records()
    assert (acme.draft.kind, acme.draft.display_name, acme.organisation) == (ContactKind.ORGANISATION, "Acme Ltd", "")
    assert (ann.draft.kind, ann.draft.display_name, ann.organisation) == (ContactKind.PERSON, "Ann", "Acme Ltd")


def test_a_bad_birthday_keeps_the_record(tmp_path):
    path = write(tmp_path, "x.csv", "Name,Birthday,Notes\nAnn,31/02/1980,Likes tea\nBen,April 12 1980,\n")
    ann, ben = open_source(path).records()
    assert ann.draft.birthday is None
    assert ann.draft.notes == "Likes tea\n\nBirthday (as imported): 31/02/1980"
    assert ann.warnings == ("Birthday “31/02/1980” kept in the notes: 31/2 is not a date in 1980.",)
    assert ben.draft.birthday == Birthday(12, 4, 1980) and ben.warnings == ()


def test_day_first_is_passed_through(tmp_path):
    path = write(tmp_path, "x.csv", "Name,DOB\nAnn,04/05/1980\n")
    assert next(iter(open_source(path).records())).draft.birthday == Birthday(4, 5, 1980)
    assert next(iter(open_source(path, day_first=False).records())).draft.birthday == Birthday(5, 4, 1980)


def test_blank_lines_before_the_header_are_skipped(tmp_path):
    path = write(tmp_path, "x.csv", "\n\nName,Phone\nAnn,1\n")
    source = open_source(path)
    assert source.headers == ["Name", "Phone"]
    assert [(r.line, r.draft.display_name) for r in source.records()] == [(4, "Ann")]


def test_the_preview_of_a_csv_skips_empty_rows_and_pads_short_ones(tmp_path):
    path = write(tmp_path, "x.csv", "Name,Phone,Email\n,,\nAnn,1\nBen,2,b@example.com\n")
    assert open_source(path).preview() == [["Ann", "1", ""], ["Ben", "2", "b@example.com"]]
    assert open_source(path).preview(1) == [["Ann", "1", ""]]


def test_cells_are_stripped_and_the_apostrophe_guard_taken_off(tmp_path):
    path = write(tmp_path, "x.csv", "Name,Notes\n  Ann Lee  ,'=1+2\n")
    (ann,) = open_source(path).records()
    assert (ann.draft.display_name, ann.draft.notes) == ("Ann Lee", "=1+2")


def test_the_documented_header_sets_are_recognised(tmp_path):
    from clientdesk.interchange import google, outlook

    sets = ((google.OLD_HEADERS, SourceFormat.GOOGLE), (google.new_headers(1, 1, 1), SourceFormat.GOOGLE),
            (outlook.HEADERS, SourceFormat.OUTLOOK))
    for headers, expected in sets:
        path = write(tmp_path, "h.csv", ",".join(headers) + "\r\n")
        assert open_source(path).format is expected
    assert open_source(DATA / "outlook.csv").headers == outlook.HEADERS
