"""Google Contacts' CSV, in its current header set and its older one ("Given Name", "Group
Membership", "E-mail 1 - Type"): the reader of both, and the header the export writes."""

from __future__ import annotations

import re
from functools import lru_cache

from clientdesk.domain.contacts import Address
from clientdesk.interchange.build import Collected, finish
from clientdesk.interchange.csv_reader import header_index, row_text, split_values
from clientdesk.interchange.labels import free_label
from clientdesk.interchange.records import ImportedContact, RejectedRecord

OLD_HEADERS = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,"
    "Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,"
    "Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,"
    "Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,"
    "Organization 1 - Title,Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,"
    "Organization 1 - Job Description,Website 1 - Type,Website 1 - Value"
).split(",")

NAME_HEADERS = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
                "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
                "Organization Department,Birthday,Notes,Photo,Labels").split(",")
ADDRESS_PARTS = ("Formatted", "Street", "City", "PO Box", "Region", "Postal Code", "Country", "Extended Address")


def new_headers(emails: int, phones: int, addresses: int) -> list[str]:
    """The current header set with as many numbered groups as asked for."""
    headers = list(NAME_HEADERS)
    for n in range(1, emails + 1):
        headers += [f"E-mail {n} - Label", f"E-mail {n} - Value"]
    for n in range(1, phones + 1):
        headers += [f"Phone {n} - Label", f"Phone {n} - Value"]
    for n in range(1, addresses + 1):
        headers += [f"Address {n} - Label"] + [f"Address {n} - {part}" for part in ADDRESS_PARTS]
    return headers


_GROUP = re.compile(r"(e-mail|phone|address) (\d+) - (.+)")


@lru_cache(maxsize=256)  # a file repeats a handful of labels
def _label(text: str) -> str:
    return free_label(text)


class GoogleReader:
    """Either header set; a cell holding several values (" ::: ") gives several phones or emails."""

    def __init__(self, headers: list[str], delimiter: str, day_first: bool):
        self._delimiter = delimiter
        self._day_first = day_first
        index = header_index(headers)

        def first(*names: str) -> int | None:
            return next((index[name] for name in names if name in index), None)

        self._given = first("first name", "given name")
        self._middle = first("middle name", "additional name")
        self._family = first("last name", "family name")
        self._display = first("file as", "name")
        self._organisation = first("organization name", "organization 1 - name")
        self._birthday = first("birthday")
        self._notes = first("notes")
        self._labels = first("labels", "group membership")
        groups: dict[tuple[str, int], dict[str, int]] = {}
        for name, n in index.items():
            match = _GROUP.fullmatch(name)
            if match:
                groups.setdefault((match[1], int(match[2])), {})[match[3]] = n
        ordered = sorted(groups.items(), key=lambda item: item[0][1])
        self._emails = [(g.get("label", g.get("type")), g["value"]) for (kind, _), g in ordered
                        if kind == "e-mail" and "value" in g]
        self._phones = [(g.get("label", g.get("type")), g["value"]) for (kind, _), g in ordered
                        if kind == "phone" and "value" in g]
        self._addresses = [(g.get("label", g.get("type")), g) for (kind, _), g in ordered if kind == "address"]
        # Where each column is in a row with one empty cell put at the end (`self._width`), for a missing one.
        self._width = len(headers)
        blank = self._width

        def at(n: int | None) -> int:
            return blank if n is None else n

        self._single = tuple(at(n) for n in (self._given, self._middle, self._family, self._display,
                                             self._organisation, self._birthday, self._notes, self._labels))
        self._phones = [(at(label), value) for label, value in self._phones]
        self._emails = [(at(label), value) for label, value in self._emails]
        self._addresses = [(at(label), tuple(group.items())) for label, group in self._addresses]

    def __call__(self, line: int, cells: list[str]) -> ImportedContact | RejectedRecord:
        # A missing column reads the empty cell put at the end; a short row, as if padded with empty cells.
        width = self._width
        padded = [*cells, ""] if len(cells) == width else [*cells[:width], *[""] * (width + 1 - min(len(cells), width))]
        given, middle, family, display, organisation, birthday, notes, labels = (
            padded[n] for n in self._single)
        c = Collected()
        c.given = f"{given} {middle}" if given and middle else given or middle
        c.family = family
        c.display = display
        c.organisation = organisation
        for label_at, value_at in self._phones:
            value = padded[value_at]
            if value:
                label = _label(padded[label_at])
                for text in split_values(value):
                    c.phone(label, text)
        for label_at, value_at in self._emails:
            value = padded[value_at]
            if value:
                label = _label(padded[label_at])
                for text in split_values(value):
                    c.email(label, text)
        for label_at, parts in self._addresses:
            values = {k: padded[n] for k, n in parts}
            if any(values.values()):
                self._read_addresses(c, _label(padded[label_at]), values)
        c.birthday_text = birthday
        c.note(notes)
        for group in split_values(labels):
            if group == "* myContacts" or "".join(group.split()).casefold() == "*mycontacts":  # once "* My Contacts"
                continue
            c.tags.append(group[2:] if group.startswith("* ") else group)
        return finish(c, line, lambda: row_text(cells, self._delimiter), self._day_first)

    @staticmethod
    def _read_addresses(c: Collected, label: str, parts: dict[str, str]) -> None:
        # Several addresses in one group come as " ::: "-joined cells, one value per address.
        if not any(" ::: " in value for value in parts.values()):  # one address, as nearly always
            get = parts.get
            street = "\n".join(p for p in (get("street", "").strip(), get("extended address", "").strip(),
                                            get("po box", "").strip()) if p)
            address = Address(street=street, city=get("city", "").strip(), region=get("region", "").strip(),
                              postcode=get("postal code", "").strip(), country=get("country", "").strip(), label=label)
            if address.is_empty():
                address = Address(street=get("formatted", "").strip(), label=label)
            c.address(address)
            return
        split = {k: v.split(" ::: ") if v else [] for k, v in parts.items() if k != "type" and k != "label"}
        count = max((len(v) for v in split.values()), default=0)

        def part(name: str, n: int) -> str:
            values = split.get(name, [])
            return values[n].strip() if n < len(values) else ""

        for n in range(count):
            street = "\n".join(p for p in (part("street", n), part("extended address", n), part("po box", n)) if p)
            address = Address(street=street, city=part("city", n), region=part("region", n),
                              postcode=part("postal code", n), country=part("country", n), label=label)
            if address.is_empty():
                address = Address(street=part("formatted", n), label=label)  # all Google had was one text
            c.address(address)
