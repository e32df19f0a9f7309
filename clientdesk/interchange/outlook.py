"""Microsoft Outlook's CSV export: one column per kind of phone, three emails, three addresses."""

from __future__ import annotations

from clientdesk.domain.contacts import Address
from clientdesk.interchange.build import Collected, finish
from clientdesk.interchange.csv_reader import header_index, row_text
from clientdesk.interchange.records import ImportedContact, RejectedRecord

HEADERS = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,E-mail Address,E-mail 2 Address,"
    "E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,"
    "Primary Phone,Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,"
    "TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,Business Postal Code,"
    "Business Country/Region,Home Street,Home City,Home State,Home Postal Code,Home Country/Region,Other Street,"
    "Other City,Other State,Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes,Categories"
).split(",")

PHONES = (
    ("Primary Phone", "main"), ("Mobile Phone", "mobile"), ("Business Phone", "work"), ("Business Phone 2", "work"),
    ("Home Phone", "home"), ("Home Phone 2", "home"), ("Company Main Phone", "main"), ("Business Fax", "fax"),
    ("Home Fax", "fax"), ("Other Fax", "fax"), ("Other Phone", "other"), ("Car Phone", "car"), ("Pager", "pager"),
    ("Assistant's Phone", "assistant"), ("Callback", "callback"), ("Radio Phone", "radio"),
    ("TTY/TDD Phone", "TTY/TDD"),
)
# Outlook says nothing about what each of its three addresses is for.
EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
ADDRESSES = (("Business", "work"), ("Home", "home"), ("Other", "other"))


class OutlookReader:
    def __init__(self, headers: list[str], delimiter: str, day_first: bool):
        self._delimiter = delimiter
        self._day_first = day_first
        index = header_index(headers)
        self._at = index.get
        self._phones = [(index[name.casefold()], label) for name, label in PHONES if name.casefold() in index]
        self._emails = [index[name.casefold()] for name in EMAILS if name.casefold() in index]
        self._addresses = []
        for prefix, label in ADDRESSES:
            p = prefix.casefold()
            streets = [index[k] for k in (f"{p} street", f"{p} street 2", f"{p} street 3") if k in index]
            parts = tuple(index.get(f"{p} {part}") for part in ("city", "state", "postal code", "country/region"))
            self._addresses.append((streets, parts, label))

    def __call__(self, line: int, cells: list[str]) -> ImportedContact | RejectedRecord:
        def cell(name: str) -> str:
            n = self._at(name)
            return cells[n] if n is not None and n < len(cells) else ""

        def at(n: int | None) -> str:
            return cells[n] if n is not None and n < len(cells) else ""

        c = Collected()
        c.given = " ".join(part for part in (cell("first name"), cell("middle name")) if part)
        c.family = cell("last name")
        c.organisation = cell("company")
        for n, label in self._phones:
            c.phone(label, at(n))
        for n in self._emails:
            c.email("other", at(n))
        for streets, (city, state, postcode, country), label in self._addresses:
            c.address(Address(street="\n".join(s for s in (at(n) for n in streets) if s), city=at(city),
                              region=at(state), postcode=at(postcode), country=at(country), label=label))
        c.birthday_text = cell("birthday")
        c.note(cell("notes"))
        categories = cell("categories")
        if categories:
            c.tags.extend(categories.split(";"))
        return finish(c, line, lambda: row_text(cells, self._delimiter), self._day_first)
