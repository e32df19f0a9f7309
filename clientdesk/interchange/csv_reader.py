"""Any CSV: rows with the line each starts on, and the generic reader that follows a ColumnMapping
(with a guess of the mapping from the header's words)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import TextIO

from clientdesk.domain.contacts import Address
from clientdesk.interchange.build import TEXT_LIMIT, Collected, finish
from clientdesk.interchange.records import ColumnMapping, Field, ImportedContact, RejectedRecord

# A 1 MB notes cell is legal CSV; the services turn away notes over their own limit with a reason.
FIELD_LIMIT = 16 * 1024 * 1024
MULTI = " ::: "  # Google's separator of several values in one cell
_GUARDED = "=+-@\t\r"  # what a spreadsheet would run as a formula; csv_writer puts an apostrophe first


def raise_field_limit() -> None:
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


def clean_cell(cell: str) -> str:
    """Blanks around the cell go; the apostrophe csv_writer put before a formula-like cell (or before
    an apostrophe that such a character follows) comes off, so a round trip gives back the text."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and (cell[1] in _GUARDED or cell[1] == "'"):
        return cell[1:]
    return cell


def read_rows(stream: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]] | RejectedRecord]:
    """Every non-blank row as (line it starts on, cleaned cells), the header included; a row the csv
    module cannot read becomes a RejectedRecord and reading goes on after it."""
    raise_field_limit()
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True)
    end = 0  # the line the previous row ended on
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if reader.line_num == end:  # nothing consumed: the reader cannot move past it
                return
            yield RejectedRecord(end + 1, f"The row could not be read as CSV: {error}.")
            end = reader.line_num
            continue
        start, end = end + 1, reader.line_num
        cells = [cell.strip() for cell in row]
        # The apostrophe guard is rare: looked for in one joined string, not cell by cell.
        if "\x00'" in "\x00" + "\x00".join(cells):
            cells = [clean_cell(cell) for cell in cells]
        if any(cells):
            yield start, cells


def fit_row(line: int, cells: list[str], width: int, delimiter: str) -> list[str] | RejectedRecord:
    """Short rows are padded with empty cells; a longer one is refused, unless what sticks out is
    blank (spreadsheets often end rows with spare delimiters)."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    if len(cells) > width:
        if any(cells[width:]):
            return RejectedRecord(line, f"Row has {len(cells)} cells but the header has {width}; "
                                        "the columns may be shifted.", row_text(cells, delimiter))
        return cells[:width]
    return cells


def header_index(headers: list[str]) -> dict[str, int]:
    """Each header, folded, to its column; the first of two alike wins."""
    index: dict[str, int] = {}
    for n, header in enumerate(headers):
        index.setdefault(header.strip().casefold(), n)
    return index


def row_text(cells: list[str], delimiter: str) -> str:
    return delimiter.join(cells)[:TEXT_LIMIT]


def split_values(cell: str) -> list[str]:
    if MULTI in cell:
        return [part.strip() for part in cell.split(MULTI) if part.strip()]
    return [cell] if cell else []


def split_tags(cell: str) -> list[str]:
    for separator in (MULTI, ";", ","):
        if separator in cell:
            return [part.strip() for part in cell.split(separator)]
    return [cell]


# ---- guessing the mapping from the header ----

_WORDS = {
    Field.GIVEN_NAME: ("first name", "given name", "first", "firstname", "forename", "vorname", "prenom",
                       "prénom"),
    Field.FAMILY_NAME: ("last name", "surname", "family name", "last", "lastname", "nachname", "nom"),
    Field.DISPLAY_NAME: ("name", "full name", "display name", "contact name", "contact", "file as", "fullname"),
    Field.ORGANISATION: ("company", "organisation", "organization", "organisation name", "organization name",
                         "company name", "firma"),
    Field.PHONE: ("phone", "telephone", "tel", "phone number", "telephone number", "primary phone",
                  "other phone", "telefon"),
    Field.MOBILE: ("mobile", "cell", "mobile phone", "cell phone", "mobile number", "handy"),
    Field.HOME_PHONE: ("home phone", "home telephone", "home tel"),
    Field.WORK_PHONE: ("work phone", "business phone", "office phone", "work telephone", "work tel"),
    Field.EMAIL: ("email", "email address", "mail", "email addresses"),
    Field.HOME_EMAIL: ("home email", "personal email", "private email"),
    Field.WORK_EMAIL: ("work email", "business email", "office email"),
    Field.STREET: ("address", "street", "street address", "address street", "address line", "business street",
                   "home street", "other street", "strasse", "straße"),
    Field.CITY: ("city", "town", "address city", "business city", "home city", "other city", "ort", "stadt"),
    Field.REGION: ("state", "region", "county", "province", "address region", "business state", "home state",
                   "other state"),
    Field.POSTCODE: ("zip", "postcode", "post code", "postal code", "zip code", "zipcode", "address postal code",
                     "business postal code", "home postal code", "other postal code", "plz"),
    Field.COUNTRY: ("country", "address country", "business country region", "home country region",
                    "other country region", "country region", "land"),
    Field.BIRTHDAY: ("birthday", "date of birth", "dob", "birth date", "birthdate", "geburtstag"),
    Field.TAGS: ("tags", "tag", "groups", "group", "categories", "category", "labels", "label",
                 "group membership"),
    Field.NOTES: ("notes", "note", "comments", "comment", "remarks", "description", "notizen", "notiz",
                  "bemerkungen", "anmerkungen"),
}
_FIELD_OF = {word: field for field, words in _WORDS.items() for word in words}
# Fields that take several columns (two phone columns are two phones); the others take the first only,
# so Outlook's Business and Home streets do not run together into one address.
_MANY = {Field.PHONE, Field.MOBILE, Field.HOME_PHONE, Field.WORK_PHONE, Field.EMAIL, Field.HOME_EMAIL,
         Field.WORK_EMAIL, Field.TAGS, Field.NOTES}
_PUNCTUATION = re.compile(r"[^\w]+")


def _words_of(header: str) -> str:
    """"E-mail 2 Address" → "email address", "Phone 1 - Value" → "phone", "Country/Region" → "country region"."""
    text = header.casefold().replace("e-mail", "email")
    words = [w for w in _PUNCTUATION.sub(" ", text).split() if not w.isdigit()]
    if len(words) > 1 and words[-1] == "value":
        words.pop()
    return " ".join(words)


def suggest_mapping(headers: list[str]) -> ColumnMapping:
    columns: dict[int, Field] = {}
    taken: set[Field] = set()
    for index, header in enumerate(headers):
        field = _FIELD_OF.get(_words_of(header))
        if field is None or (field in taken and field not in _MANY):
            continue
        columns[index] = field
        taken.add(field)
    return ColumnMapping(columns)


# ---- the mapped reader ----

_PHONE_LABELS = {Field.MOBILE: "mobile", Field.HOME_PHONE: "home", Field.WORK_PHONE: "work"}
_EMAIL_LABELS = {Field.HOME_EMAIL: "home", Field.WORK_EMAIL: "work"}
_ADDRESS_PARTS = {Field.STREET: "street", Field.CITY: "city", Field.REGION: "region",
                  Field.POSTCODE: "postcode", Field.COUNTRY: "country"}


def _label_in(header: str, default: str) -> str:
    """A generic Phone or Email column's label, from the header's words when they say it."""
    words = header.casefold()
    for hint, label in (("fax", "fax"), ("mobile", "mobile"), ("cell", "mobile"), ("home", "home"),
                        ("personal", "home"), ("work", "work"), ("business", "work"), ("office", "work"),
                        ("main", "main"), ("primary", "main"), ("other", "other")):
        if hint in words:
            return label
    return default


# What each Field feeds, resolved once per file so that a row costs only string comparisons.
_SLOTS = {Field.GIVEN_NAME: "given", Field.FAMILY_NAME: "family", Field.DISPLAY_NAME: "display",
          Field.ORGANISATION: "organisation", Field.PHONE: "phone", Field.MOBILE: "phone", Field.HOME_PHONE: "phone",
          Field.WORK_PHONE: "phone", Field.EMAIL: "email", Field.HOME_EMAIL: "email", Field.WORK_EMAIL: "email",
          Field.STREET: "street", Field.CITY: "city", Field.REGION: "region", Field.POSTCODE: "postcode",
          Field.COUNTRY: "country", Field.BIRTHDAY: "birthday", Field.TAGS: "tags", Field.NOTES: "notes"}
_NAMES = ("given", "family", "display", "organisation", "birthday")


class MappedReader:
    """Reads a row through a ColumnMapping; columns mapped to the same Field add up."""

    def __init__(self, headers: list[str], mapping: ColumnMapping, delimiter: str, day_first: bool):
        self._delimiter = delimiter
        self._day_first = day_first
        self._columns: list[tuple[int, str, str]] = []
        address_label = ""
        for index, field in sorted(mapping.columns.items()):
            header = headers[index] if index < len(headers) else ""
            field = Field(field)
            if field is Field.PHONE:
                label = _label_in(header, "mobile")  # the domain's default for a phone
            elif field is Field.EMAIL:
                label = _label_in(header, "work")  # and for an email
            else:
                label = _PHONE_LABELS.get(field) or _EMAIL_LABELS.get(field) or ""
            if field in _ADDRESS_PARTS and not address_label:
                address_label = _label_in(header, "")
            self._columns.append((index, _SLOTS[field], label))
        self._address_label = address_label or "work"

    def __call__(self, line: int, cells: list[str]) -> ImportedContact | RejectedRecord:
        c = Collected()
        names: dict[str, str] = {}
        parts: dict[str, str] = {}
        width = len(cells)
        for index, slot, label in self._columns:
            value = cells[index] if index < width else ""
            if not value:
                continue
            if slot == "phone":
                for text in split_values(value):
                    c.phone(label, text)
            elif slot == "email":
                for text in split_values(value):
                    c.email(label, text)
            elif slot == "tags":
                c.tags.extend(split_tags(value))
            elif slot == "notes":
                c.note(value)
            elif slot in _NAMES:
                names[slot] = f"{names[slot]} {value}" if slot in names else value
            else:
                # Two street columns are two lines of one street; anything else, two words.
                joint = "\n" if slot == "street" else " "
                parts[slot] = f"{parts[slot]}{joint}{value}" if slot in parts else value
        if names:
            get = names.get
            c.given, c.family, c.display = get("given", ""), get("family", ""), get("display", "")
            c.organisation, c.birthday_text = get("organisation", ""), get("birthday", "")
        if parts:
            c.address(Address(**parts, label=self._address_label))
        return finish(c, line, lambda: row_text(cells, self._delimiter), self._day_first)
