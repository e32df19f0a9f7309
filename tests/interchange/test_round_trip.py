"""Export, import, compare: what comes back is what went out, field by field."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientdesk.domain.contacts import Address, Birthday, ContactDraft, ContactFields, ContactKind, clean_line
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone
from clientdesk.interchange import ExportedContact, ImportedContact, open_source, write_google_csv, write_vcards

NASTY_NOTES = ('=SUM(A1)\nSecond line, with commas; semicolons: "quotes" and \\backslashes\\n\n'
               "Zoë Ünal 日本 — emoji 🎉\n\tindented line\nlast ' line")


def person(**fields) -> ContactFields:
    base = dict(kind=ContactKind.PERSON, given_name="", family_name="", display_name="")
    base.update(fields)
    return ContactFields(**base)


CONTACTS = [
    ExportedContact(person(
        given_name="Zoë", family_name="Ünal", display_name="Zoë Ünal",
        phones=(Phone("+44 20 7946 0958", "+442079460958", "mobile"), Phone("020 7946 0000", "", "work"),
                Phone("01632 960123", "", "home"), Phone("020 7946 0001", "", "main"),
                Phone("020 7946 0002", "", "fax"), Phone("020 7946 0003", "", "other")),
        emails=(Email("zoe@example.com", "work"), Email("zoe@home.example", "home"), Email("z@other.example", "other")),
        addresses=(Address("1 Main St\nFlat 2, rear", "London", "Greater London", "SW1A 1AA", "United Kingdom", "home"),
                   Address("Unit 5; Dock Rd", "Leeds", "", "LS1 1AA", "", "work"),
                   Address("", "Paris", "", "", "France", "other")),
        birthday=Birthday(12, 4, 1980), tags=("vip", "a, b", "c; d", "=tag"), notes=NASTY_NOTES),
        "Acme, Inc; Holdings"),
    ExportedContact(person(
        given_name="Bob", family_name="O'Neil", display_name="Dr Bobby O'Neil, Jr.",
        phones=(Phone("-2+3", "", "Assistant"), Phone("@home", "", "pager"), Phone("+1 (206) 555-0100", "", "Boat")),
        emails=(Email("bob@example.com", "Grandma's"),), birthday=Birthday(29, 2), tags=("friend",),
        notes="'=already quoted\n+1 for this\n-minus\n@mention")),
    ExportedContact(ContactFields(kind=ContactKind.ORGANISATION, given_name="", family_name="",
                                  display_name="Northwind Traders, Ltd.",
                                  phones=(Phone("+1 206 555 0100", "", "main"),),
                                  emails=(Email("info@northwind.example", "work"),),
                                  addresses=(Address("1 Harbour Way", "Seattle", "WA", "98101", "USA", "work"),),
                                  tags=("Suppliers",), notes="Ships on Tuesdays.")),
    ExportedContact(person(given_name="Only", display_name="Only")),
    ExportedContact(person(display_name="Cher")),
    ExportedContact(person(given_name="=cmd|' /C calc'!A0", family_name="+SUM(1)", display_name="@x -2+3")),
]


def expected(contact: ExportedContact) -> tuple[ContactDraft, str]:
    f = contact.fields
    draft = ContactDraft(
        kind=f.kind, given_name=f.given_name, family_name=f.family_name, display_name=f.display_name,
        phones=tuple((p.label, p.raw) for p in f.phones), emails=tuple((e.label, e.address) for e in f.emails),
        addresses=f.addresses, birthday=f.birthday, tags=f.tags, notes=f.notes)
    return draft, contact.organisation


def round_trip(writer, contacts, tmp_path, name) -> list:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as out:
        assert writer(contacts, out) == len(contacts)
    return list(open_source(path).records())


@pytest.mark.parametrize("writer, name", [(write_vcards, "out.vcf"), (write_google_csv, "out.csv")])
def test_every_field_comes_back(writer, name, tmp_path):
    records = round_trip(writer, CONTACTS, tmp_path, name)
    assert all(isinstance(r, ImportedContact) and r.warnings == () for r in records), records
    assert len(records) == len(CONTACTS)
    for record, contact in zip(records, CONTACTS, strict=True):
        want_draft, want_organisation = expected(contact)
        assert record.draft == want_draft
        assert record.organisation == want_organisation


def test_a_google_csv_round_trip_is_read_as_google(tmp_path):
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        write_google_csv(CONTACTS, out)
    assert open_source(path).format == "google"


def test_the_formulas_are_neutralised_in_the_file(tmp_path):
    buffer = io.StringIO(newline="")
    write_google_csv(CONTACTS[5:], buffer)
    row = buffer.getvalue().split("\r\n")[1]
    assert row.startswith("'=cmd|' /C calc'!A0,,'+SUM(1),")
    assert ",'@x -2+3," in row


# ---- any text a contact can hold ----

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t")
_SPICE = st.sampled_from(["=", "+", "-", "@", "'", ",", ";", ":", "\\", '"', "\n", " ", "\\n", "* "])
_TEXT = st.lists(st.one_of(st.text(_ALPHABET, max_size=6), _SPICE), max_size=8).map("".join)
_LABELS = st.sampled_from(["mobile", "home", "work", "main", "fax", "other", "pager", "Assistant", "Boat Phone"])


def _line(text: str) -> str:
    return clean_line(text)


def _notes(text: str) -> str:
    return text.replace("\r", "").strip()


@st.composite
def contacts(draw):
    kind = draw(st.sampled_from([ContactKind.PERSON, ContactKind.ORGANISATION]))
    if kind is ContactKind.PERSON:
        given, family = draw(_TEXT.map(_line)), draw(_TEXT.map(_line))
        display = draw(st.one_of(st.just(" ".join(p for p in (given, family) if p)), _TEXT.map(_line)))
        organisation = draw(st.one_of(st.just(""), _TEXT.map(_line)))
    else:
        given = family = organisation = ""
        display = draw(_TEXT.map(_line))
    # A person named only by their organisation's name reads back as that organisation (no marker in CSV).
    if not display or (kind is ContactKind.PERSON and not given and not family and display == organisation):
        display = "Named"
    phones = tuple(Phone(draw(st.from_regex(r"\+?[0-9][0-9 ()-]{4,14}[0-9]", fullmatch=True)), "", draw(_LABELS))
                   for _ in range(draw(st.integers(0, 5))))
    emails = tuple(Email(draw(st.emails()), draw(_LABELS)) for _ in range(draw(st.integers(0, 3))))
    addresses = tuple(Address(*(draw(_TEXT.map(f)) for f in (_notes, _line, _line, _line, _line)),
                              label=draw(_LABELS)) for _ in range(draw(st.integers(0, 3))))
    addresses = tuple(a for a in addresses if not a.is_empty())
    tags = tuple(dict.fromkeys(t for t in draw(st.lists(_TEXT.map(_line), max_size=4))
                               if t and not t.startswith("* ")))
    birthday = draw(st.one_of(st.none(), st.builds(Birthday, st.integers(1, 28), st.integers(1, 12),
                                                   st.one_of(st.none(), st.integers(1900, 2020)))))
    fields = ContactFields(kind=kind, given_name=given, family_name=family, display_name=display, phones=phones,
                           emails=emails, addresses=addresses, birthday=birthday, tags=tags,
                           notes=draw(_TEXT.map(_notes)))
    return ExportedContact(fields, organisation)


def _no_google_separator(contact: ExportedContact) -> bool:
    # " ::: " is how Google puts several values in one cell; a value holding it splits on the way in.
    f = contact.fields
    texts = [*f.tags, *(p for a in f.addresses for p in (a.street, a.city, a.region, a.postcode, a.country))]
    return not any(":::" in t for t in texts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contacts(), min_size=1, max_size=4))
def test_any_contact_survives_both_formats(tmp_path_factory, exported):
    tmp_path = tmp_path_factory.mktemp("rt")
    for writer, name in ((write_vcards, "any.vcf"), (write_google_csv, "any.csv")):
        chosen = exported if writer is write_vcards else [c for c in exported if _no_google_separator(c)]
        if not chosen:
            continue
        records = round_trip(writer, chosen, tmp_path, name)
        assert [(r.draft, r.organisation) for r in records] == [expected(c) for c in chosen], name
