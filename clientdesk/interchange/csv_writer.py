"""Contacts as a CSV in Google Contacts' current header set, which Google, Outlook and most
spreadsheets and address books read.

The header needs as many numbered groups (E-mail N, Phone N, Address N) as the widest contact, and
the contacts arrive as a stream that cannot be read twice. So they are read once into a temporary
file on disk, counting, and written from it: memory stays flat, and no phone is ever left out."""

from __future__ import annotations

import csv
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import TextIO

from clientdesk.domain.contacts import ContactKind, compose_display_name
from clientdesk.interchange.google import ADDRESS_PARTS, new_headers
from clientdesk.interchange.labels import free_label, google_word
from clientdesk.interchange.records import ExportedContact

_FORMULA = tuple("=+-@\t\r")
_PLAIN_PHONE = re.compile(r"\+[\d\s().-]+")


def neutralise(cell: str) -> str:
    """A spreadsheet runs a cell that starts like a formula; an apostrophe first makes it text (and
    csv_reader.clean_cell takes it off again). An apostrophe that such a character follows gets one
    too, so that it survives the way back."""
    if cell.startswith(_FORMULA) or (cell[:1] == "'" and cell[1:2] and cell[1] in "=+-@\t\r'"):
        return "'" + cell
    return cell


def phone_cell(raw: str) -> str:
    # "+44 20 7946 0958" is a number, not a formula: written as it is so it stays dialable.
    return raw if _PLAIN_PHONE.fullmatch(raw) else neutralise(raw)


def write_google_csv(contacts: Iterable[ExportedContact], out: TextIO) -> int:
    """Write the header and one row per contact (rows end with \r\n); returns how many contacts.
    At least one group of each kind is written, so an empty export still has Google's header."""
    emails = phones = addresses = 1
    count = 0
    with tempfile.TemporaryFile() as spool:
        for contact in contacts:
            pickle.dump(contact, spool, pickle.HIGHEST_PROTOCOL)
            f = contact.fields
            emails, phones, addresses = (max(emails, len(f.emails)), max(phones, len(f.phones)),
                                         max(addresses, len(f.addresses)))
            count += 1
        headers = new_headers(emails, phones, addresses)
        at = {name: n for n, name in enumerate(headers)}
        writer = csv.writer(out)
        writer.writerow(headers)
        spool.seek(0)
        for contact in _spooled(spool, count):
            writer.writerow(row(contact, at))
    return count


def _spooled(spool, count: int) -> Iterator[ExportedContact]:
    for _ in range(count):
        yield pickle.load(spool)  # our own file, written a moment ago


def row(contact: ExportedContact, at: dict[str, int]) -> list[str]:
    f = contact.fields
    cells = [""] * len(at)

    def put(name: str, value: str) -> None:
        cells[at[name]] = neutralise(value)

    if f.kind is ContactKind.ORGANISATION:
        put("Organization Name", f.display_name)
    else:
        put("First Name", f.given_name)
        put("Last Name", f.family_name)
        put("Organization Name", contact.organisation)
    # A display name that is not just "given family" travels in File As (Google's own field for it).
    if f.display_name != compose_display_name(f.given_name, f.family_name):
        put("File As", f.display_name)
    if f.birthday is not None:
        put("Birthday", f.birthday.iso())
    if f.tags:
        put("Labels", " ::: ".join(f.tags))
    put("Notes", f.notes)
    for n, email in enumerate(f.emails, 1):
        put(f"E-mail {n} - Label", google_word(free_label(email.label, "work")))
        put(f"E-mail {n} - Value", email.address)
    for n, phone in enumerate(f.phones, 1):
        put(f"Phone {n} - Label", google_word(free_label(phone.label, "mobile")))
        cells[at[f"Phone {n} - Value"]] = phone_cell(phone.raw)
    for n, address in enumerate(f.addresses, 1):
        put(f"Address {n} - Label", google_word(free_label(address.label, "work")))
        town = " ".join(p for p in (address.city, address.region, address.postcode) if p)
        values = {"Formatted": "\n".join(p for p in (address.street, town, address.country) if p),
                  "Street": address.street, "City": address.city, "Region": address.region,
                  "Postal Code": address.postcode, "Country": address.country}
        for part in ADDRESS_PARTS:
            put(f"Address {n} - {part}", values.get(part, ""))
    return cells
